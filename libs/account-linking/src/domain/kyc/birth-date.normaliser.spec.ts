import { normaliseBirthDate } from './birth-date.normaliser';

describe('normaliseBirthDate', () => {
  it.each([
    ['1975-11-02', '1975-11-02'],
    [' 1975-11-02 ', '1975-11-02'],
    ['１９７５-１１-０２', '1975-11-02'],
    ['2000-02-29', '2000-02-29'],
  ])('reads %s as %s', (text, expected) => {
    expect(normaliseBirthDate(text)).toBe(expected);
  });

  it.each(['1975/11/02', '1975-13-01', '1975-11-31', '1900-02-29', '75-11-02', ''])('does not read %s', (text) => {
    expect(normaliseBirthDate(text)).toBeUndefined();
  });
});

import { japanDayOf, japanMonthOf } from './japan-calendar';

describe('the Japan-time calendar of limits', () => {
  it.each([
    ['2026-12-01T14:59:59.999Z', '2026-12-01'],
    ['2026-12-01T15:00:00.000Z', '2026-12-02'],
    ['2026-12-31T15:00:00.000Z', '2027-01-01'],
    ['2028-02-28T15:00:00.000Z', '2028-02-29'],
  ])('puts %s on Japan day %s', (at, day) => {
    expect(japanDayOf(at)).toBe(day);
  });

  it('changes month at midnight Japan time, 15:00 UTC the day before', () => {
    expect(japanMonthOf('2026-11-30T14:59:59.999Z')).toBe('2026-11');
    expect(japanMonthOf('2026-11-30T15:00:00.000Z')).toBe('2026-12');
  });
});

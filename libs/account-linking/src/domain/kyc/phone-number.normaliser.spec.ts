import { normalisePhoneNumber } from './phone-number.normaliser';

describe('normalisePhoneNumber', () => {
  it.each([
    ['080-9876-5432', '+818098765432'],
    ['+81 80 9876 5432', '+818098765432'],
    ['０８０−９８７６−５４３２', '+818098765432'],
    ['03-1234-5678', '+81312345678'],
    ['(03) 1234 5678', '+81312345678'],
  ])('reads %s as %s', (text, expected) => {
    expect(normalisePhoneNumber(text)).toBe(expected);
  });

  it('does not read text that is no phone number', () => {
    expect(normalisePhoneNumber('not a number')).toBeUndefined();
  });
});

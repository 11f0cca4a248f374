import { addJapaneseBusinessDays, isJapaneseBusinessDay } from './japanese-business-days';

describe('Japanese business days (respondBy of a case)', () => {
  it('skips weekends and national holidays, on the Japan-time calendar', () => {
    expect(isJapaneseBusinessDay('2026-11-20')).toBe(true); // Friday
    expect(isJapaneseBusinessDay('2026-11-21')).toBe(false); // Saturday
    expect(isJapaneseBusinessDay('2026-11-23')).toBe(false); // 勤労感謝の日, a Monday
    expect(isJapaneseBusinessDay('2027-01-01')).toBe(false); // 元日
  });

  it('counts five business days past a holiday Monday', () => {
    // Friday 10:00 JST; Monday 23 November is a holiday: Tue, Wed, Thu, Fri, Mon.
    expect(addJapaneseBusinessDays('2026-11-20T01:00:00.000Z', 5)).toBe('2026-11-30T01:00:00.000Z');
    // Without a holiday in the way: Tuesday 1 December to Tuesday 8 December.
    expect(addJapaneseBusinessDays('2026-12-01T01:00:00.000Z', 5)).toBe('2026-12-08T01:00:00.000Z');
  });

  it('takes the Japan-time day of an instant late in the UTC day', () => {
    // 2026-11-20T16:00Z is Saturday 01:00 JST: the next business days are Tue 24 … Mon 30 (01:00 JST).
    expect(addJapaneseBusinessDays('2026-11-20T16:00:00.000Z', 5)).toBe('2026-11-29T16:00:00.000Z');
  });
});

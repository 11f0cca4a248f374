import holidayJp from '@holiday-jp/holiday_jp';
import { japanDayOf } from '../../domain/debit/japan-calendar';
import { epochMilliseconds, type Instant } from '../../domain/time';

const DAY_MS = 24 * 60 * 60 * 1000;

/** A Japanese business day: not a Saturday, a Sunday or a national holiday (holiday_jp's maintained data). */
export function isJapaneseBusinessDay(day: string): boolean {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !(day in holidayJp.holidays);
}

/**
 * The same Japan time of day, `days` Japanese business days after the Japan-time day of `at`. Japan keeps no
 * daylight saving, so whole days of 24 hours keep the time of day.
 */
export function addJapaneseBusinessDays(at: Instant, days: number): Instant {
  let ms = epochMilliseconds(at);
  let counted = 0;
  while (counted < days) {
    ms += DAY_MS;
    if (isJapaneseBusinessDay(japanDayOf(new Date(ms).toISOString()))) counted += 1;
  }
  return new Date(ms).toISOString();
}

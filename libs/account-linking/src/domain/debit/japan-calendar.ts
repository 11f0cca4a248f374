import { epochMilliseconds, type Instant } from '../time';

/** The calendar of the customers' limits (API.md: days and months are Japan time), from the platform's tz data. */
const JAPAN_DATE = new Intl.DateTimeFormat('en-US', {
  timeZone: 'Asia/Tokyo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The Japan-time calendar day of an instant, `YYYY-MM-DD`. */
export function japanDayOf(at: Instant): string {
  const parts = Object.fromEntries(
    JAPAN_DATE.formatToParts(new Date(epochMilliseconds(at))).map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** The Japan-time calendar month of an instant, `YYYY-MM`. */
export const japanMonthOf = (at: Instant): string => japanDayOf(at).slice(0, 7);

import { epochMilliseconds, type Instant } from '../../domain/time';

const JST_OFFSET_MS = 9 * 60 * 60 * 1000;

/** The instant as customers in Japan read it ("2026年11月21日 19時31分（日本時間）"); Japan has no daylight saving. */
export function formatJapanTime(at: Instant): string {
  const jst = new Date(epochMilliseconds(at) + JST_OFFSET_MS);
  const two = (n: number) => String(n).padStart(2, '0');
  return (
    `${jst.getUTCFullYear()}年${jst.getUTCMonth() + 1}月${jst.getUTCDate()}日 ` +
    `${two(jst.getUTCHours())}時${two(jst.getUTCMinutes())}分（日本時間）`
  );
}

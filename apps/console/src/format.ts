const JST = new Intl.DateTimeFormat('ja-JP', {
  timeZone: 'Asia/Tokyo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** An instant as the service gives it (UTC), and beside it in Japan time, where investigators read it. */
export function inJapanTime(iso: string): string {
  const instant = new Date(iso);
  return Number.isNaN(instant.getTime()) ? '' : `${JST.format(instant)} JST`;
}

export const accountOf = (account: { bankCode: string; branchCode: string; type: string; last4: string }): string =>
  `${account.bankCode}-${account.branchCode}-${account.type}-***${account.last4}`;

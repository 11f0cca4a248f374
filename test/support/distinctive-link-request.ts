/**
 * A link request whose personal data is unlike anything else a test run prints, so that a scan of logs or
 * metrics for it cannot be satisfied by chance.
 */
export function distinctiveLinkRequest(bankCode = '9900') {
  const personal = {
    customerReference: 'cust-ref-QX7PLANTED',
    kanji: '鬼瓦 権左衛門',
    kana: 'オニガワラ ゴンザエモン',
    birthDate: '1961-07-23',
    phone: '080-7319-5528',
    postalCode: '987-6543',
    addressLine: '架空市幻町9-8-7',
    accountNumber: '7319826',
    deviceId: 'device-QX7PLANTED',
  } as const;
  const body = {
    customer: { reference: personal.customerReference },
    ekyc: {
      method: 'jpki',
      verifiedAt: '2026-11-20T10:00:00Z',
      name: { kanji: personal.kanji, kana: personal.kana },
      birthDate: personal.birthDate,
      phone: personal.phone,
      address: { postalCode: personal.postalCode, prefecture: '北海道', line: personal.addressLine },
    },
    bankAccount: { bankCode, branchCode: '001', type: 'ordinary', number: personal.accountNumber },
    device: { id: personal.deviceId },
  };
  return { body, personal };
}

/** The places a value of `personal` shows up in `text` (the account number only as a whole number). */
export function personalDataIn(text: string, personal: Readonly<Record<string, string>>): string[] {
  return Object.entries(personal)
    .filter(([name, value]) =>
      name === 'accountNumber' ? new RegExp(`(?<!\\d)${value}(?!\\d)`).test(text) : text.includes(value),
    )
    .map(([name]) => name);
}

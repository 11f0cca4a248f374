/**
 * The requests of one link's lifecycle as a payment app and Sandbox Bank (9900) send them: the app's link
 * request, then the bank's `authentication.succeeded` webhook with the holder it "holds" (the app's eKYC,
 * the kana in half-width Zengin form, as the sandbox's simulated bank answers) and the contact to notify.
 */

export const SANDBOX_BANK = '9900';

const EKYC_NAME = { kanji: '山田 太郎', kana: 'ヤマダ タロウ' };
const HOLDER_NAME = { kanji: '山田 太郎', kana: 'ﾔﾏﾀﾞ ﾀﾛｳ' };
const BIRTH_DATE = '1990-01-02';
const PHONE = '090-1234-5678';

/** Seven digits, one account per link, so that no request meets another's open link on the account's guard. */
export function accountNumberOf(sequence: number): string {
  return String(1_000_000 + (sequence % 9_000_000));
}

export function linkRequestBody(sequence: number, now = new Date()): string {
  return JSON.stringify({
    customer: { reference: `bench-user-${sequence}` },
    ekyc: {
      method: 'jpki',
      verifiedAt: new Date(now.getTime() - 10 * 60_000).toISOString(),
      name: EKYC_NAME,
      birthDate: BIRTH_DATE,
      phone: PHONE,
    },
    bankAccount: { bankCode: SANDBOX_BANK, branchCode: '001', type: 'ordinary', number: accountNumberOf(sequence) },
    device: { id: `bench-device-${sequence % 97}` },
  });
}

export function authenticationSucceededBody(linkId: string, now = new Date()): string {
  return JSON.stringify({
    type: 'authentication.succeeded',
    data: {
      linkId,
      methods: ['password', 'otp_sms'],
      holder: { name: HOLDER_NAME, birthDate: BIRTH_DATE, phone: PHONE.replaceAll('-', '') },
      contact: { email: `customer-${linkId.slice(4, 12).toLowerCase()}@sandbox-bank.example` },
      authenticatedAt: now.toISOString(),
    },
  });
}

/** `POST /v1/links/{id}/debits` from the link's bound device, with the end user's address (one per client). */
export function debitRequestBody(sequence: number, deviceId: string, amount: number, client: number): string {
  return JSON.stringify({
    amount,
    currency: 'JPY',
    reference: `bench-charge-${sequence}`,
    device: { id: deviceId, ipAddress: `198.51.100.${(client % 250) + 1}` },
  });
}

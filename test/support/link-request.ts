import { randomUUID } from 'node:crypto';

export const EKYC_ADDRESS = { postalCode: '100-0001', prefecture: '東京都', line: '千代田区千代田1-1' };

/** A `POST /v1/links` body as API.md shows it, with a fresh customer and a random account unless told. */
export function aLinkRequest(
  overrides: { bankCode?: string; number?: string; reference?: string; ekyc?: unknown; device?: string } = {},
) {
  return {
    customer: { reference: overrides.reference ?? `user-${randomUUID()}` },
    ekyc:
      overrides.ekyc === undefined
        ? {
            method: 'jpki',
            verifiedAt: '2026-11-20T10:00:00Z',
            name: { kanji: '山田 太郎', kana: 'ヤマダ タロウ' },
            birthDate: '1990-01-02',
            phone: '090-1234-5678',
            address: EKYC_ADDRESS,
          }
        : overrides.ekyc,
    bankAccount: {
      bankCode: overrides.bankCode ?? '9900',
      branchCode: '001',
      type: 'ordinary',
      number: overrides.number ?? String(1_000_000 + Math.floor(Math.random() * 8_999_999)),
    },
    device: { id: overrides.device ?? `device-${randomUUID()}` },
  };
}

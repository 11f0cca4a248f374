import type { KycFieldResult } from '../kyc/kyc-attributes';
import { type RecordedLinkFacts, recordedLinkFacts, wouldFail } from './policy-replay';

const matchedFields: KycFieldResult[] = [
  { field: 'nameKana', result: 'match' },
  { field: 'nameKanji', result: 'not_provided' },
  { field: 'birthDate', result: 'match' },
  { field: 'phone', result: 'match' },
  { field: 'address', result: 'mismatch' },
];

const facts = (overrides: Partial<RecordedLinkFacts> = {}): RecordedLinkFacts => ({
  linkId: 'lnk_1',
  requestedAt: '2026-05-01T00:00:00.000Z',
  ekyc: { method: 'jpki', verifiedAt: '2026-04-30T00:00:00.000Z' },
  bankAuthentication: { methods: ['password', 'otp_sms'] },
  kyc: { fields: matchedFields },
  ...overrides,
});

describe('wouldFail (policy replay over recorded facts)', () => {
  it('fails nothing under an empty policy', () => {
    expect(wouldFail(facts(), {})).toEqual([]);
  });

  it('fails a password + SMS OTP link when a phishing-resistant factor is required', () => {
    expect(wouldFail(facts(), { requirePhishingResistant: true })).toEqual([
      'weak_bank_authentication',
      'phishing_resistant_factor_required',
    ]);
  });

  it('passes a passkey link when a phishing-resistant factor is required', () => {
    expect(
      wouldFail(facts({ bankAuthentication: { methods: ['pin', 'passkey'] } }), { requirePhishingResistant: true }),
    ).toEqual([]);
  });

  it('fails two factor kinds when three are required, passes three', () => {
    expect(wouldFail(facts(), { minFactorKinds: 3 })).toEqual(['weak_bank_authentication']);
    expect(
      wouldFail(facts({ bankAuthentication: { methods: ['password', 'otp_app', 'biometric'] } }), {
        minFactorKinds: 3,
      }),
    ).toEqual([]);
  });

  it('fails a link whose stream recorded no bank authentication, when the policy judges it', () => {
    expect(wouldFail(facts({ bankAuthentication: undefined }), { minFactorKinds: 2 })).toEqual([
      'weak_bank_authentication',
    ]);
  });

  it('fails an eKYC method left off the allowed list', () => {
    expect(wouldFail(facts(), { allowedEkycMethods: ['ic_chip_read'] })).toEqual(['ekyc_method_not_allowed']);
    expect(wouldFail(facts(), { allowedEkycMethods: ['jpki', 'ic_chip_read'] })).toEqual([]);
  });

  it('judges a photo-ID cut-off at the time the link was requested', () => {
    const photo = facts({ ekyc: { method: 'photo_id_and_selfie' } });
    expect(wouldFail(photo, { photoIdAllowedUntil: '2026-05-01T00:00:00.000Z' })).toEqual(['ekyc_method_not_allowed']);
    expect(wouldFail(photo, { photoIdAllowedUntil: '2026-06-01T00:00:00.000Z' })).toEqual([]);
    expect(wouldFail(facts(), { photoIdAllowedUntil: '2026-01-01T00:00:00.000Z' })).toEqual([]);
  });

  it('fails a link without eKYC whenever eKYC is judged', () => {
    expect(wouldFail(facts({ ekyc: undefined }), { allowedEkycMethods: ['jpki'] })).toEqual([
      'ekyc_method_not_allowed',
    ]);
  });

  it('judges a stricter KYC rule on the recorded per-field outcomes', () => {
    expect(wouldFail(facts(), { kycRule: { allOf: ['nameKana', 'birthDate', 'phone'], anyOf: [] } })).toEqual([]);
    expect(wouldFail(facts(), { kycRule: { allOf: ['nameKana', 'birthDate', 'address'], anyOf: [] } })).toEqual([
      'kyc_mismatch',
    ]);
    expect(wouldFail(facts(), { kycRule: { allOf: [], anyOf: [['nameKanji', 'address']] } })).toEqual(['kyc_mismatch']);
  });

  it('lists every code a link fails, once each', () => {
    expect(
      wouldFail(facts({ ekyc: { method: 'photo_id_and_selfie' } }), {
        allowedEkycMethods: ['jpki'],
        requirePhishingResistant: true,
        minFactorKinds: 3,
        kycRule: { allOf: ['address'], anyOf: [] },
      }),
    ).toEqual([
      'ekyc_method_not_allowed',
      'weak_bank_authentication',
      'phishing_resistant_factor_required',
      'kyc_mismatch',
    ]);
  });
});

describe('recordedLinkFacts', () => {
  it('takes the eKYC of the request, the latest bank authentication and KYC outcome', () => {
    const events = [
      {
        type: 'LinkRequested',
        data: {
          linkId: 'lnk_1',
          at: '2026-05-01T00:00:00.000Z',
          ekyc: { method: 'jpki', verifiedAt: '2026-04-30T00:00:00.000Z', attributes: { sealed: 'x' } },
        },
      },
      { type: 'BankAuthenticationSucceeded', data: { methods: ['pin'], factorKinds: ['knowledge'] } },
      { type: 'BankAuthenticationSucceeded', data: { methods: ['password', 'passkey'] } },
      { type: 'KycMatched', data: { fields: matchedFields, rule: { allOf: [], anyOf: [] } } },
      { type: 'LinkActivated', data: {} },
    ];
    expect(recordedLinkFacts(events)).toEqual({
      linkId: 'lnk_1',
      requestedAt: '2026-05-01T00:00:00.000Z',
      ekyc: { method: 'jpki', verifiedAt: '2026-04-30T00:00:00.000Z' },
      bankAuthentication: { methods: ['password', 'passkey'] },
      kyc: { fields: matchedFields },
    });
  });

  it('finds no facts in a stream without a request', () => {
    expect(recordedLinkFacts([])).toBeUndefined();
  });
});

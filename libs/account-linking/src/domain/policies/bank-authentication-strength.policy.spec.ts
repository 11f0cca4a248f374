import { assessBankAuthentication } from './bank-authentication-strength.policy';

const ordinaryBank = { phishingResistantFactorRequired: false };
const demandingBank = { phishingResistantFactorRequired: true };

describe('assessBankAuthentication (R2)', () => {
  it.each([[['pin', 'birth_date']], [['pin', 'password']], [['pin', 'password', 'birth_date']], [['pin']]])(
    'refuses knowledge factors alone, however many: %j',
    (methods) => {
      expect(assessBankAuthentication(methods, ordinaryBank)).toMatchObject({
        strong: false,
        code: 'weak_bank_authentication',
        reason: 'knowledge_only',
        kinds: ['knowledge'],
      });
    },
  );

  it.each([[['otp_sms']], [['otp_sms', 'otp_app']], [['biometric']], [[]]])(
    'refuses fewer than two kinds of factor: %j',
    (methods) => {
      expect(assessBankAuthentication(methods, ordinaryBank)).toMatchObject({
        strong: false,
        reason: 'fewer_than_two_factor_kinds',
      });
    },
  );

  it.each([
    [['password', 'otp_sms'], ['knowledge', 'possession'], false],
    [['pin', 'biometric'], ['knowledge', 'inherence'], false],
    [['otp_hardware', 'biometric'], ['possession', 'inherence'], false],
    [['passkey', 'biometric'], ['possession', 'inherence'], true],
    [['pin', 'pki'], ['knowledge', 'possession'], true],
  ])('accepts %j as factors of kinds %j', (methods, kinds, phishingResistant) => {
    expect(assessBankAuthentication(methods, ordinaryBank)).toEqual({
      strong: true,
      methods,
      kinds,
      phishingResistant,
    });
  });

  it('refuses a strong pair without a phishing-resistant factor when the bank demands one', () => {
    expect(assessBankAuthentication(['password', 'otp_sms'], demandingBank)).toMatchObject({
      strong: false,
      reason: 'phishing_resistant_factor_required',
    });
  });

  it.each([[['pin', 'passkey']], [['pki', 'biometric']]])(
    'accepts %j when the bank demands a phishing-resistant factor',
    (methods) => {
      expect(assessBankAuthentication(methods, demandingBank)).toMatchObject({ strong: true, phishingResistant: true });
    },
  );

  it.each([[['password', 'otp_sms', 'face_id']], [['pin', 'toString']], [['__proto__', 'otp_sms']]])(
    'refuses methods outside the vocabulary: %j',
    (methods) => {
      const assessment = assessBankAuthentication(methods, ordinaryBank);
      expect(assessment).toMatchObject({ strong: false, reason: 'unknown_method' });
      expect(assessment.strong === false && assessment.unknownMethods).toHaveLength(1);
    },
  );
});

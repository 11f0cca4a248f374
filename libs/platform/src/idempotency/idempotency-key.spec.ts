import { ProblemException } from '../problem/problem.exception';
import { idempotencyKeyFrom } from './idempotency-key';

describe('idempotencyKeyFrom', () => {
  it('reads no key from a request without the header', () => {
    expect(idempotencyKeyFrom(undefined)).toBeUndefined();
  });

  it('takes a bare token of printable ASCII as it is', () => {
    expect(idempotencyKeyFrom('8e03978e-40d5-43e8-bc93-6894a57f9324')).toBe('8e03978e-40d5-43e8-bc93-6894a57f9324');
    expect(idempotencyKeyFrom('!~')).toBe('!~');
    expect(idempotencyKeyFrom('k'.repeat(255))).toBe('k'.repeat(255));
  });

  it('unwraps the quoted Structured Field String of the draft, escapes included', () => {
    expect(idempotencyKeyFrom('"8e03978e-40d5"')).toBe('8e03978e-40d5');
    expect(idempotencyKeyFrom('"a\\"b\\\\c"')).toBe('a"b\\c');
  });

  it.each([
    ['empty', ''],
    ['the empty quoted string', '""'],
    ['with a space', 'a b'],
    ['quoted with a space', '"a b"'],
    ['with a control character', 'a\tb'],
    ['not ASCII', 'clé'],
    ['longer than 255 characters', 'k'.repeat(256)],
  ])('rejects a key %s with 400 invalid_idempotency_key', (_, header) => {
    expect(() => idempotencyKeyFrom(header)).toThrow(ProblemException);
    try {
      idempotencyKeyFrom(header);
    } catch (error) {
      expect((error as ProblemException).problem).toMatchObject({ status: 400, code: 'invalid_idempotency_key' });
    }
  });

  it('rejects a header sent more than once', () => {
    expect(() => idempotencyKeyFrom(['a', 'b'])).toThrow(ProblemException);
  });
});

import { randomBytes } from 'node:crypto';
import { InvalidSecretKeyError } from '../crypto/secret-key-bytes';
import { ResponseBodySeal, UnreadableRecordedResponseError } from './response-body-seal';

describe('ResponseBodySeal', () => {
  const secret = randomBytes(32).toString('base64');
  const seal = new ResponseBodySeal(secret);
  const scope = { clientId: 'app-a', key: 'key-1' };
  const body = { id: 'lnk_1', customer: { reference: 'user-123' } };

  it('opens what it sealed, and keeps the body out of the sealed text', () => {
    const sealed = seal.seal(scope, body);
    expect(sealed).not.toContain('user-123');
    expect(seal.open(scope, sealed)).toEqual(body);
  });

  it('seals the same body differently each time', () => {
    expect(seal.seal(scope, body)).not.toBe(seal.seal(scope, body));
  });

  it('keeps an absent body absent', () => {
    expect(seal.open(scope, seal.seal(scope, undefined))).toBeUndefined();
  });

  it('does not open a body sealed for another client or another key', () => {
    const sealed = seal.seal(scope, body);
    expect(() => seal.open({ ...scope, clientId: 'app-b' }, sealed)).toThrow(UnreadableRecordedResponseError);
    expect(() => seal.open({ ...scope, key: 'key-2' }, sealed)).toThrow(UnreadableRecordedResponseError);
  });

  it('does not open a body under another secret, nor an altered or malformed one', () => {
    const sealed = seal.seal(scope, body);
    expect(() => new ResponseBodySeal(randomBytes(32).toString('base64')).open(scope, sealed)).toThrow(
      UnreadableRecordedResponseError,
    );
    const altered = `${sealed.slice(0, -2)}${sealed.endsWith('AA') ? 'AB' : 'AA'}`;
    expect(() => seal.open(scope, altered)).toThrow(UnreadableRecordedResponseError);
    expect(() => seal.open(scope, 'not sealed')).toThrow(UnreadableRecordedResponseError);
  });

  it('refuses a secret that is not base64 of 32 bytes', () => {
    expect(() => new ResponseBodySeal(randomBytes(16).toString('base64'))).toThrow(InvalidSecretKeyError);
  });
});

import { randomBytes } from 'node:crypto';
import { InvalidBankAccountError } from './bank-account-canonical';
import { KeyedHash } from './keyed-hash';
import { InvalidSecretKeyError } from './secret-key-bytes';

const pepper = randomBytes(32).toString('base64');
const hash = new KeyedHash(pepper);
const account = { bankCode: '0001', branchCode: '001', type: 'ordinary', number: '1234567' };

describe('KeyedHash', () => {
  describe('bankAccountToken', () => {
    it('is bat_ followed by a base64url HMAC-SHA256, the same for the same account', () => {
      const token = hash.bankAccountToken(account);
      expect(token).toMatch(/^bat_[A-Za-z0-9_-]{43}$/);
      expect(hash.bankAccountToken({ ...account })).toBe(token);
      expect(token).not.toContain('1234567');
    });

    it('gives the same token for every spelling of one account', () => {
      const token = hash.bankAccountToken(account);
      expect(
        hash.bankAccountToken({ bankCode: '０００１', branchCode: '1', type: ' Ordinary ', number: '123-4567' }),
      ).toBe(token);
      expect(hash.bankAccountToken({ ...account, number: '１２３ ４５６７' })).toBe(token);
    });

    it('zero-pads short account numbers to seven digits', () => {
      expect(hash.bankAccountToken({ ...account, number: '12345' })).toBe(
        hash.bankAccountToken({ ...account, number: '0012345' }),
      );
    });

    it('gives different tokens for different accounts, types and peppers', () => {
      const token = hash.bankAccountToken(account);
      expect(hash.bankAccountToken({ ...account, number: '1234568' })).not.toBe(token);
      expect(hash.bankAccountToken({ ...account, branchCode: '002' })).not.toBe(token);
      expect(hash.bankAccountToken({ ...account, type: 'current' })).not.toBe(token);
      expect(new KeyedHash(randomBytes(32).toString('base64')).bankAccountToken(account)).not.toBe(token);
    });

    it('refuses an account that is not digits of the right length', () => {
      expect(() => hash.bankAccountToken({ ...account, number: '12345678' })).toThrow(InvalidBankAccountError);
      expect(() => hash.bankAccountToken({ ...account, bankCode: '00A1' })).toThrow(InvalidBankAccountError);
      expect(() => hash.bankAccountToken({ ...account, number: '' })).toThrow(InvalidBankAccountError);
      expect(() => hash.bankAccountToken({ ...account, type: '普通' })).toThrow(InvalidBankAccountError);
    });
  });

  describe('sourceAddressHash', () => {
    it('is sah_ and the same for every spelling of one address', () => {
      const v4 = hash.sourceAddressHash('192.0.2.1');
      expect(v4).toMatch(/^sah_[A-Za-z0-9_-]{43}$/);
      expect(hash.sourceAddressHash('::ffff:192.0.2.1')).toBe(v4);
      expect(hash.sourceAddressHash('::FFFF:c000:0201')).toBe(v4);
      expect(hash.sourceAddressHash('2001:DB8:0:0:0:0:0:1')).toBe(hash.sourceAddressHash('2001:db8::1'));
      expect(hash.sourceAddressHash('192.0.2.2')).not.toBe(v4);
    });
  });

  describe('hashForLogs', () => {
    it('is a short lh_ pseudonym, stable, and unlike the hash of the same value for another purpose', () => {
      const logged = hash.hashForLogs('192.0.2.1');
      expect(logged).toMatch(/^lh_[A-Za-z0-9_-]{16}$/);
      expect(hash.hashForLogs('192.0.2.1')).toBe(logged);
      expect(hash.sourceAddressHash('192.0.2.1')).not.toContain(logged.slice(3));
    });
  });

  it('requires a pepper of at least 32 bytes', () => {
    expect(() => new KeyedHash(randomBytes(16).toString('base64'))).toThrow(InvalidSecretKeyError);
    expect(() => new KeyedHash('not base64!')).toThrow(InvalidSecretKeyError);
  });
});

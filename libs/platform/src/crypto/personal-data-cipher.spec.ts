import { randomBytes } from 'node:crypto';
import type { SqlClient } from '../sql/sql-client';
import { open } from './aes-256-gcm';
import { ErasedPersonalData } from './erased-personal-data';
import { PersonalDataCipher } from './personal-data-cipher';
import { parseEnvelope } from './personal-data-envelope';
import { PersonalDataDecryptionError, SubjectErasedError } from './personal-data-errors';
import { InvalidSecretKeyError } from './secret-key-bytes';
import { unwrapSubjectKey } from './subject-key-wrapping';
import { type IsolatedSqlClient, SQL_BACKENDS } from '../sql/testing/sql-backends';

const masterKey = randomBytes(32).toString('base64');
const name = { kanji: '山田 太郎', kana: 'ヤマダ タロウ' };

function flipBit(value: string, segment: 2 | 3): string {
  const parts = value.split('.');
  const bytes = Buffer.from(parts[segment] ?? '', 'base64url');
  bytes[0] = (bytes[0] ?? 0) ^ 0x01;
  parts[segment] = bytes.toString('base64url');
  return parts.join('.');
}

describe.each(SQL_BACKENDS)('PersonalDataCipher on $name', (backend) => {
  let isolated: IsolatedSqlClient;
  let sql: SqlClient;
  let cipher: PersonalDataCipher;

  beforeAll(async () => {
    isolated = await backend.open();
    sql = isolated.sql;
    cipher = new PersonalDataCipher(sql, masterKey);
    await cipher.ensureSchema();
    await cipher.ensureSchema();
  });

  afterAll(async () => {
    await isolated.dispose();
  });

  it('round-trips text and JSON', async () => {
    const text = await cipher.encrypt('sub_1', '090-1234-5678');
    const json = await cipher.encryptJson('sub_1', name);
    expect(await cipher.decrypt(text)).toBe('090-1234-5678');
    expect(await cipher.decryptJson(json)).toEqual(name);
  });

  it('writes the compact pd1.<subject>.<iv>.<ciphertext> format', async () => {
    const value = await cipher.encrypt('sub_format', 'x');
    expect(value).toMatch(/^pd1\.sub_format\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
  });

  it('leaves no plaintext in the ciphertext', async () => {
    const plaintext = 'ヤマダ タロウ 1990-01-02 yamada@example.com';
    const value = await cipher.encrypt('sub_2', plaintext);
    const decodedSealed = parseEnvelope(value).sealed;
    for (const needle of ['yamada', 'ヤマダ', '1990']) {
      expect(value).not.toContain(needle);
      expect(decodedSealed.includes(Buffer.from(needle))).toBe(false);
    }
    expect(value).not.toContain(Buffer.from(plaintext).toString('base64url').slice(0, 12));
  });

  it('gives a different ciphertext each time for the same plaintext', async () => {
    const first = await cipher.encrypt('sub_3', 'same');
    const second = await cipher.encrypt('sub_3', 'same');
    expect(first).not.toBe(second);
    expect(await cipher.decrypt(first)).toBe('same');
    expect(await cipher.decrypt(second)).toBe('same');
  });

  it('detects a flipped bit in the ciphertext or the IV', async () => {
    const value = await cipher.encrypt('sub_4', 'intact');
    await expect(cipher.decrypt(flipBit(value, 3))).rejects.toThrow(PersonalDataDecryptionError);
    await expect(cipher.decrypt(flipBit(value, 2))).rejects.toThrow(PersonalDataDecryptionError);
  });

  it('detects a value moved to another subject', async () => {
    await cipher.encrypt('sub_other', 'exists');
    const value = await cipher.encrypt('sub_5', 'mine');
    await expect(cipher.decrypt(value.replace('.sub_5.', '.sub_other.'))).rejects.toThrow(PersonalDataDecryptionError);
  });

  it('rejects values that are not pd1, and subjects without a key', async () => {
    for (const value of [
      'plain',
      'pd2.sub_1.AAAA.AAAA',
      'pd1.sub_1.AAAA',
      'pd1.sub 1.AAAA.AAAA',
      'pd1.sub_1.A+A.AAAA',
    ]) {
      await expect(cipher.decrypt(value)).rejects.toThrow(PersonalDataDecryptionError);
    }
    await expect(cipher.decrypt('pd1.sub_never.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA')).rejects.toThrow(
      PersonalDataDecryptionError,
    );
  });

  it('refuses subject ids that would break the format', async () => {
    await expect(cipher.encrypt('sub.1', 'x')).rejects.toThrow(TypeError);
    await expect(cipher.encrypt('', 'x')).rejects.toThrow(TypeError);
  });

  it('answers ErasedPersonalData for every value of an erased subject, and nothing else changes', async () => {
    const phone = await cipher.encrypt('sub_erase', '090-1234-5678');
    const holder = await cipher.encryptJson('sub_erase', name);
    const neighbour = await cipher.encrypt('sub_keep', 'still here');
    const at = new Date('2026-11-21T00:00:00Z');
    await cipher.erase('sub_erase', at);

    const erased = await cipher.decrypt(phone);
    expect(erased).toBeInstanceOf(ErasedPersonalData);
    expect(erased).toEqual(new ErasedPersonalData('sub_erase', at));
    expect(await cipher.decryptJson(holder)).toBeInstanceOf(ErasedPersonalData);
    expect(await cipher.decrypt(neighbour)).toBe('still here');
  });

  it('is seen by another instance sharing the database, whose cache had the key', async () => {
    const other = new PersonalDataCipher(sql, masterKey, { cacheTtlMs: 0 });
    const value = await cipher.encrypt('sub_shared', 'secret');
    expect(await other.decrypt(value)).toBe('secret');
    await cipher.erase('sub_shared');
    expect(await other.decrypt(value)).toBeInstanceOf(ErasedPersonalData);
  });

  it('keeps the erased row, without its key, and erasing again keeps the first erasure time', async () => {
    await cipher.encrypt('sub_row', 'x');
    await cipher.erase('sub_row', new Date('2026-11-21T01:00:00Z'));
    await cipher.erase('sub_row', new Date('2026-11-22T01:00:00Z'));
    const rows = await sql.query<{ wrapped_key: unknown; erased_at: Date }>(
      "SELECT wrapped_key, erased_at FROM subject_keys WHERE subject_id = 'sub_row'",
    );
    expect(rows).toEqual([{ wrapped_key: null, erased_at: new Date('2026-11-21T01:00:00Z') }]);
  });

  it('refuses to encrypt for an erased subject, even one erased before it had a key', async () => {
    await cipher.erase('sub_gone');
    await expect(cipher.encrypt('sub_gone', 'again')).rejects.toThrow(SubjectErasedError);
    await expect(new PersonalDataCipher(sql, masterKey).encrypt('sub_gone', 'again')).rejects.toThrow(
      SubjectErasedError,
    );
  });

  it('stores the data key only wrapped under the master key', async () => {
    const value = await cipher.encrypt('sub_wrapped', 'payload');
    const [row] = await sql.query<{ wrapped_key: Uint8Array }>(
      "SELECT wrapped_key FROM subject_keys WHERE subject_id = 'sub_wrapped'",
    );
    const wrapped = Buffer.from(row?.wrapped_key ?? []);
    const dataKey = unwrapSubjectKey(Buffer.from(masterKey, 'base64'), 'sub_wrapped', wrapped);

    expect(dataKey).toHaveLength(32);
    expect(wrapped.includes(dataKey)).toBe(false);
    expect(wrapped.includes(dataKey.subarray(0, 8))).toBe(false);
    const envelope = parseEnvelope(value);
    expect(open(dataKey, envelope, Buffer.from('sub_wrapped')).toString()).toBe('payload');
  });

  it('cannot decrypt with another master key', async () => {
    const value = await cipher.encrypt('sub_master', 'x');
    const stranger = new PersonalDataCipher(sql, randomBytes(32).toString('base64'));
    await expect(stranger.decrypt(value)).rejects.toThrow(PersonalDataDecryptionError);
  });

  it('reloads keys evicted from a small cache', async () => {
    const small = new PersonalDataCipher(sql, masterKey, { cacheSize: 1 });
    const values = await Promise.all(['sub_c1', 'sub_c2', 'sub_c3'].map((s) => small.encrypt(s, s)));
    for (const [index, value] of values.entries()) {
      expect(await small.decrypt(value)).toBe(`sub_c${index + 1}`);
    }
  });

  it("finds or stores a subject's key in one statement when sealing, for a new subject and for a known one", async () => {
    const queries = jest.spyOn(sql, 'query');
    try {
      const sealed = await new PersonalDataCipher(sql, masterKey).encrypt('sub_one_statement', 'first');
      expect(queries).toHaveBeenCalledTimes(1);
      // Another instance (its cache empty) seals with the key stored: the first seal's value opens with it.
      const other = new PersonalDataCipher(sql, masterKey);
      const again = await other.encrypt('sub_one_statement', 'second');
      expect(queries).toHaveBeenCalledTimes(2);
      expect(await other.decrypt(sealed)).toBe('first');
      expect(await new PersonalDataCipher(sql, masterKey).decrypt(again)).toBe('second');
    } finally {
      queries.mockRestore();
    }
  });

  it('answers an erasure before sealing with the key it then seals with: one statement for both', async () => {
    const sealing = new PersonalDataCipher(sql, masterKey);
    const queries = jest.spyOn(sql, 'query');
    try {
      expect(await sealing.erasedAtBeforeSealing('sub_before_sealing')).toBeUndefined();
      const sealed = await sealing.encrypt('sub_before_sealing', 'value');
      expect(queries).toHaveBeenCalledTimes(1);
      expect(await new PersonalDataCipher(sql, masterKey).decrypt(sealed)).toBe('value');
    } finally {
      queries.mockRestore();
    }
    const erasedAt = await cipher.erase('sub_before_sealing', new Date('2026-11-21T10:00:00.000Z'));
    expect(await new PersonalDataCipher(sql, masterKey).erasedAtBeforeSealing('sub_before_sealing')).toEqual(erasedAt);
  });

  it('gives concurrent first encryptions of one subject the same key', async () => {
    const [a, b] = await Promise.all([
      new PersonalDataCipher(sql, masterKey).encrypt('sub_race', 'a'),
      new PersonalDataCipher(sql, masterKey).encrypt('sub_race', 'b'),
    ]);
    const fresh = new PersonalDataCipher(sql, masterKey);
    expect(await fresh.decrypt(a ?? '')).toBe('a');
    expect(await fresh.decrypt(b ?? '')).toBe('b');
  });
});

describe('PersonalDataCipher configuration', () => {
  it('requires a master key of exactly 32 bytes, without quoting it', () => {
    const short = randomBytes(16).toString('base64');
    expect(() => new PersonalDataCipher({ query: async () => [] }, short)).toThrow(InvalidSecretKeyError);
    expect(() => new PersonalDataCipher({ query: async () => [] }, short)).not.toThrow(short);
  });
});

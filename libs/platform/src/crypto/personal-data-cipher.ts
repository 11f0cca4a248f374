import { createSecretKey, type KeyObject, randomBytes } from 'node:crypto';
import type { SqlExecutor } from '../sql/sql-client';
import { open, seal } from './aes-256-gcm';
import { BoundedCache } from './bounded-cache';
import { ErasedPersonalData } from './erased-personal-data';
import { assertSubjectId, formatEnvelope, parseEnvelope } from './personal-data-envelope';
import { PersonalDataDecryptionError, SubjectErasedError } from './personal-data-errors';
import { secretKeyBytes } from './secret-key-bytes';
import { SubjectKeyStore, type StoredSubjectKey } from './subject-key-store';
import { unwrapSubjectKey, wrapSubjectKey } from './subject-key-wrapping';

export interface PersonalDataCipherOptions {
  readonly cacheSize?: number;
  /** How long another process's erasure may go unnoticed here: cached data keys live this long. */
  readonly cacheTtlMs?: number;
}

type SubjectKey =
  | { readonly state: 'active'; readonly key: KeyObject }
  | { readonly state: 'erased'; readonly erasedAt: Date };

const DATA_KEY_BYTES = 32;
const ERASURE_IS_FINAL_TTL_MS = Number.POSITIVE_INFINITY;

/**
 * AES-256-GCM with one data key per data subject, wrapped under the master key in `subject_keys`.
 * Erasing a subject deletes its key, so every copy of its values, in every event, becomes unreadable.
 * On PGlite, call it outside a transaction on the same client: the single connection would wait on itself.
 */
export class PersonalDataCipher {
  // KeyObjects, made once (a data key when it is unwrapped): Node checks a Buffer key on every cipher it makes.
  private readonly masterKey: KeyObject;
  private readonly store: SubjectKeyStore;
  private readonly cache: BoundedCache<string, SubjectKey>;

  constructor(sql: SqlExecutor, masterKeyBase64: string, options: PersonalDataCipherOptions = {}) {
    this.masterKey = createSecretKey(secretKeyBytes(masterKeyBase64, 'personal data master key', { exactly: 32 }));
    this.store = new SubjectKeyStore(sql);
    this.cache = new BoundedCache(options.cacheSize ?? 10_000, options.cacheTtlMs ?? 60_000);
  }

  ensureSchema(): Promise<void> {
    return this.store.ensureSchema();
  }

  /** Throws `SubjectErasedError` for an erased subject. */
  async encrypt(subjectId: string, plaintext: string): Promise<string> {
    assertSubjectId(subjectId);
    const subjectKey = await this.keyOf(subjectId, { createIfMissing: true });
    if (subjectKey.state === 'erased') throw new SubjectErasedError(subjectId);
    const { iv, sealed } = seal(subjectKey.key, Buffer.from(plaintext, 'utf8'), aadOf(subjectId));
    return formatEnvelope({ subjectId, iv, sealed });
  }

  encryptJson(subjectId: string, value: unknown): Promise<string> {
    const json = JSON.stringify(value);
    if (json === undefined) throw new TypeError('Only JSON values can be encrypted');
    return this.encrypt(subjectId, json);
  }

  /** Throws `PersonalDataDecryptionError` for a value that is malformed, altered or of an unknown subject. */
  async decrypt(value: string): Promise<string | ErasedPersonalData> {
    const envelope = parseEnvelope(value);
    const subjectKey = await this.keyOf(envelope.subjectId, { createIfMissing: false });
    if (subjectKey.state === 'erased') return new ErasedPersonalData(envelope.subjectId, subjectKey.erasedAt);
    try {
      return open(subjectKey.key, envelope, aadOf(envelope.subjectId)).toString('utf8');
    } catch {
      throw new PersonalDataDecryptionError('The encrypted personal data was altered or not sealed with its key');
    }
  }

  async decryptJson<T = unknown>(value: string): Promise<T | ErasedPersonalData> {
    const plaintext = await this.decrypt(value);
    return plaintext instanceof ErasedPersonalData ? plaintext : (JSON.parse(plaintext) as T);
  }

  /** Crypto-shredding: deletes the subject's key, keeping the row with `erased_at`. Idempotent. */
  async erase(subjectId: string, at: Date = new Date()): Promise<Date> {
    assertSubjectId(subjectId);
    const erasedAt = await this.store.erase(subjectId, at);
    this.cache.set(subjectId, { state: 'erased', erasedAt }, ERASURE_IS_FINAL_TTL_MS);
    return erasedAt;
  }

  /** When the subject was erased; undefined for a subject with a key or none yet. */
  async erasedAt(subjectId: string): Promise<Date | undefined> {
    assertSubjectId(subjectId);
    const cached = this.cache.get(subjectId);
    if (cached) return cached.state === 'erased' ? cached.erasedAt : undefined;
    const stored = await this.store.find(subjectId);
    return stored?.state === 'erased' ? stored.erasedAt : undefined;
  }

  /**
   * When the subject was erased, for a subject about to have values encrypted: one that is not gets its key now
   * (found or stored, and kept), so the answer and the encryptions after it cost one statement together.
   */
  async erasedAtBeforeSealing(subjectId: string): Promise<Date | undefined> {
    assertSubjectId(subjectId);
    const subjectKey = await this.keyOf(subjectId, { createIfMissing: true });
    return subjectKey.state === 'erased' ? subjectKey.erasedAt : undefined;
  }

  /** The subjects of the sealed values (strings `pd1.…`) anywhere in a JSON value. */
  static subjectsIn(value: unknown, into: Set<string> = new Set()): Set<string> {
    if (typeof value === 'string') {
      if (value.startsWith('pd1.')) {
        try {
          into.add(parseEnvelope(value).subjectId);
        } catch {
          // A string that only looks like an envelope is not one.
        }
      }
    } else if (Array.isArray(value)) {
      for (const item of value) PersonalDataCipher.subjectsIn(item, into);
    } else if (value !== null && typeof value === 'object') {
      for (const item of Object.values(value)) PersonalDataCipher.subjectsIn(item, into);
    }
    return into;
  }

  private async keyOf(subjectId: string, { createIfMissing }: { createIfMissing: boolean }): Promise<SubjectKey> {
    const cached = this.cache.get(subjectId);
    if (cached) return cached;
    // Sealing: one statement finds the key or stores a new one (a key wrapped in vain when one exists costs no I/O).
    const stored = createIfMissing
      ? await this.store.insertIfAbsent(
          subjectId,
          wrapSubjectKey(this.masterKey, subjectId, randomBytes(DATA_KEY_BYTES)),
          new Date(),
        )
      : await this.store.find(subjectId);
    if (!stored) throw new PersonalDataDecryptionError(`No key for data subject ${subjectId}`);
    const subjectKey = this.unwrapped(subjectId, stored);
    this.cache.set(subjectId, subjectKey, subjectKey.state === 'erased' ? ERASURE_IS_FINAL_TTL_MS : undefined);
    return subjectKey;
  }

  private unwrapped(subjectId: string, stored: StoredSubjectKey): SubjectKey {
    if (stored.state === 'erased') return stored;
    try {
      const unwrapped = unwrapSubjectKey(this.masterKey, subjectId, stored.wrappedKey);
      // Cached for a while as a KeyObject (its own copy of the 32 bytes, outside Node's shared 8 KB allocation
      // pool, which a cached Buffer slice would keep alive whole); the unwrapped bytes are wiped.
      const key = createSecretKey(unwrapped);
      unwrapped.fill(0);
      return { state: 'active', key };
    } catch {
      throw new PersonalDataDecryptionError(
        `The key of data subject ${subjectId} does not unwrap with this master key`,
      );
    }
  }
}

function aadOf(subjectId: string): Buffer {
  return Buffer.from(subjectId, 'utf8');
}

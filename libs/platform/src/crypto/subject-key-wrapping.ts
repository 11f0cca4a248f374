import type { KeyObject } from 'node:crypto';
import { open, seal } from './aes-256-gcm';

// Leaves room to re-wrap under a new master key later; 1 is the only format so far.
const WRAPPING_VERSION = 1;
const IV_BYTES = 12;

/** A subject's data key encrypted under the master key, bound to its subject so rows cannot be swapped. */
export function wrapSubjectKey(masterKey: KeyObject | Buffer, subjectId: string, dataKey: Buffer): Buffer {
  const { iv, sealed } = seal(masterKey, dataKey, aadOf(subjectId));
  return Buffer.concat([Buffer.of(WRAPPING_VERSION), iv, sealed]);
}

export function unwrapSubjectKey(masterKey: KeyObject | Buffer, subjectId: string, wrapped: Buffer): Buffer {
  if (wrapped[0] !== WRAPPING_VERSION) throw new Error(`Unknown subject key wrapping version ${wrapped[0]}`);
  const iv = wrapped.subarray(1, 1 + IV_BYTES);
  return open(masterKey, { iv, sealed: wrapped.subarray(1 + IV_BYTES) }, aadOf(subjectId));
}

function aadOf(subjectId: string): Buffer {
  return Buffer.from(`subject_keys:${subjectId}`, 'utf8');
}

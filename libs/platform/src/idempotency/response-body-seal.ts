import { createSecretKey, hkdfSync, type KeyObject } from 'node:crypto';
import { open, seal } from '../crypto/aes-256-gcm';
import { secretKeyBytes } from '../crypto/secret-key-bytes';
import type { IdempotencyScope } from './idempotency-scope';

const FORMAT = 'v1';
const DERIVATION_INFO = 'kouza-link/idempotency/response-body/v1';

export class UnreadableRecordedResponseError extends Error {
  override readonly name = 'UnreadableRecordedResponseError';
}

/**
 * AES-256-GCM for recorded response bodies, under a key derived from the service secret and bound (AAD)
 * to the client and idempotency key, so a sealed body moved to another record does not open.
 */
export class ResponseBodySeal {
  /** A KeyObject, made once: Node checks a Buffer key on every cipher it makes. */
  private readonly key: KeyObject;

  constructor(secretBase64: string) {
    const secret = secretKeyBytes(secretBase64, 'idempotency store secret', { exactly: 32 });
    this.key = createSecretKey(Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), DERIVATION_INFO, 32)));
  }

  seal(scope: IdempotencyScope, body: unknown): string {
    // Wrapped so that an absent body (`undefined`) survives the round trip.
    const plaintext = Buffer.from(JSON.stringify({ body }), 'utf8');
    const { iv, sealed } = seal(this.key, plaintext, aadOf(scope));
    return [FORMAT, iv.toString('base64url'), sealed.toString('base64url')].join('.');
  }

  /** Throws `UnreadableRecordedResponseError` for a value altered, of another record, or under another secret. */
  open(scope: IdempotencyScope, value: string): unknown {
    const [format, iv, sealed, ...rest] = value.split('.');
    if (format !== FORMAT || iv === undefined || sealed === undefined || rest.length > 0) {
      throw new UnreadableRecordedResponseError('The recorded response is not in a known format');
    }
    let plaintext: Buffer;
    try {
      plaintext = open(
        this.key,
        { iv: Buffer.from(iv, 'base64url'), sealed: Buffer.from(sealed, 'base64url') },
        aadOf(scope),
      );
    } catch {
      throw new UnreadableRecordedResponseError('The recorded response was altered or sealed for another record');
    }
    return (JSON.parse(plaintext.toString('utf8')) as { body?: unknown }).body;
  }
}

function aadOf({ clientId, key }: IdempotencyScope): Buffer {
  return Buffer.from(JSON.stringify([clientId, key]), 'utf8');
}

const STRICT_BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export class InvalidSecretKeyError extends Error {
  override readonly name = 'InvalidSecretKeyError';
}

/** Decodes a base64 key from configuration; the error names the setting, never the value. */
export function secretKeyBytes(
  base64: string,
  purpose: string,
  length: { exactly: number } | { atLeast: number },
): Buffer {
  const trimmed = base64.trim();
  const bytes = STRICT_BASE64.test(trimmed) && trimmed.length % 4 === 0 ? Buffer.from(trimmed, 'base64') : undefined;
  const fits = bytes && ('exactly' in length ? bytes.length === length.exactly : bytes.length >= length.atLeast);
  if (!bytes || !fits) {
    const size = 'exactly' in length ? `${length.exactly}` : `at least ${length.atLeast}`;
    throw new InvalidSecretKeyError(`The ${purpose} must be base64 of ${size} bytes`);
  }
  return bytes;
}

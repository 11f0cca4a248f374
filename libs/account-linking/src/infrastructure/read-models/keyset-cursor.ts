import { InvalidCursorError } from '../../application/ports/link-read-model.port';

/** Where a page ended: the (created at, id) of its last row. */
export interface Keyset {
  createdAt: string;
  id: string;
}

const MAX_CURSOR_LENGTH = 512;

/** Opaque to clients: base64url of the keyset. */
export function encodeCursor(keyset: Keyset): string {
  return Buffer.from(JSON.stringify([keyset.createdAt, keyset.id]), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): Keyset {
  if (cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) {
    throw new InvalidCursorError('cursor is not one this service handed out');
  }
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('cursor is not one this service handed out');
  }
  if (
    !Array.isArray(decoded) ||
    decoded.length !== 2 ||
    typeof decoded[0] !== 'string' ||
    typeof decoded[1] !== 'string' ||
    Number.isNaN(Date.parse(decoded[0])) ||
    !/^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(decoded[0])
  ) {
    throw new InvalidCursorError('cursor is not one this service handed out');
  }
  return { createdAt: decoded[0], id: decoded[1] };
}

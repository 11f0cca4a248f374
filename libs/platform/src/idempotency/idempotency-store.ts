import { createHash } from 'node:crypto';
import type { SqlExecutor } from '../sql/sql-client';
import type { IdempotencyScope, RecordedResponse } from './idempotency-scope';
import { ResponseBodySeal } from './response-body-seal';

export interface IdempotencyStoreOptions {
  /** How long a key is remembered from its first use; 24 h by default. */
  readonly ttlMs?: number;
  /**
   * How long a request may stay in flight before its key counts as free again: a process that died mid-request
   * would otherwise block retries for the whole TTL. Keep it above the slowest handler; 5 min by default.
   */
  readonly inFlightLeaseMs?: number;
  readonly clock?: () => Date;
}

/** Proof that this request holds the key: only the holder completes or releases the record. */
export interface Reservation {
  readonly scope: IdempotencyScope;
  readonly createdAt: Date;
}

export type ReserveOutcome =
  | { readonly kind: 'reserved'; readonly reservation: Reservation }
  | { readonly kind: 'replay'; readonly response: RecordedResponse }
  | { readonly kind: 'in_progress' }
  | { readonly kind: 'key_reused' };

interface RecordRow {
  readonly fingerprint: string;
  readonly state: 'in_flight' | 'completed';
  readonly response_status: number | null;
  readonly response_body_sealed: string | null;
  readonly response_headers: Record<string, string | string[]> | null;
  readonly expires_at: Date;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const DEFAULT_IN_FLIGHT_LEASE_MS = 5 * 60 * 1000;
// A record can vanish between the insert attempt and the read (its request failed and released it).
const MAX_RESERVE_ATTEMPTS = 3;

/**
 * The `idempotency_records` table. Every method is a single statement, never a transaction held across
 * the handler: on PGlite the handler needs the one connection too. Keys are stored hashed, bodies sealed.
 */
export class IdempotencyStore {
  private readonly seal: ResponseBodySeal;
  private readonly ttlMs: number;
  private readonly inFlightLeaseMs: number;
  private readonly clock: () => Date;

  constructor(
    private readonly sql: SqlExecutor,
    secretBase64: string,
    options: IdempotencyStoreOptions = {},
  ) {
    this.seal = new ResponseBodySeal(secretBase64);
    this.ttlMs = options.ttlMs ?? DAY_MS;
    this.inFlightLeaseMs = Math.min(options.inFlightLeaseMs ?? DEFAULT_IN_FLIGHT_LEASE_MS, this.ttlMs);
    this.clock = options.clock ?? (() => new Date());
  }

  async ensureSchema(): Promise<void> {
    await this.sql.query(`
      CREATE TABLE IF NOT EXISTS idempotency_records (
        client_id            text        NOT NULL,
        idempotency_key      text        NOT NULL,
        fingerprint          text        NOT NULL,
        state                text        NOT NULL CHECK (state IN ('in_flight', 'completed')),
        response_status      int,
        response_body_sealed text,
        response_headers     jsonb,
        created_at           timestamptz NOT NULL,
        completed_at         timestamptz,
        expires_at           timestamptz NOT NULL,
        PRIMARY KEY (client_id, idempotency_key),
        CHECK ((state = 'completed') = (response_status IS NOT NULL AND response_body_sealed IS NOT NULL))
      )`);
    await this.sql.query(
      'CREATE INDEX IF NOT EXISTS idempotency_records_expires_at ON idempotency_records (expires_at)',
    );
  }

  /** Claims the key for a request with this fingerprint, or says what its earlier use decides. */
  async reserve(scope: IdempotencyScope, fingerprint: string): Promise<ReserveOutcome> {
    const keyHash = hashOf(scope.key);
    for (let attempt = 1; attempt <= MAX_RESERVE_ATTEMPTS; attempt++) {
      const now = this.clock();
      // An expired record counts as absent: it is overwritten in the same statement that would insert.
      const reserved = await this.sql.query(
        `INSERT INTO idempotency_records (client_id, idempotency_key, fingerprint, state, created_at, expires_at)
         VALUES ($1, $2, $3, 'in_flight', $4, $5)
         ON CONFLICT (client_id, idempotency_key) DO UPDATE
           SET fingerprint = EXCLUDED.fingerprint, state = 'in_flight', response_status = NULL,
               response_body_sealed = NULL, response_headers = NULL, created_at = EXCLUDED.created_at,
               completed_at = NULL, expires_at = EXCLUDED.expires_at
           WHERE idempotency_records.expires_at <= EXCLUDED.created_at
         RETURNING 1`,
        [scope.clientId, keyHash, fingerprint, now, after(now, this.inFlightLeaseMs)],
      );
      if (reserved.length === 1) return { kind: 'reserved', reservation: { scope, createdAt: now } };

      const [existing] = await this.sql.query<RecordRow>(
        `SELECT fingerprint, state, response_status, response_body_sealed, response_headers, expires_at
         FROM idempotency_records WHERE client_id = $1 AND idempotency_key = $2`,
        [scope.clientId, keyHash],
      );
      if (existing && existing.expires_at > now) return this.outcomeOf(scope, fingerprint, existing);
    }
    throw new Error('The idempotency record kept changing while it was being reserved');
  }

  /** Records the response for replay; false when the reservation was lost (its lease ran out). */
  async complete(reservation: Reservation, response: RecordedResponse): Promise<boolean> {
    const { scope, createdAt } = reservation;
    const completed = await this.sql.query(
      `UPDATE idempotency_records
       SET state = 'completed', response_status = $3, response_body_sealed = $4, response_headers = $5::jsonb,
           completed_at = $6, expires_at = $7
       WHERE client_id = $1 AND idempotency_key = $2 AND state = 'in_flight' AND created_at = $8
       RETURNING 1`,
      [
        scope.clientId,
        hashOf(scope.key),
        response.status,
        this.seal.seal(scope, response.body),
        JSON.stringify(response.headers),
        this.clock(),
        after(createdAt, this.ttlMs),
        createdAt,
      ],
    );
    return completed.length === 1;
  }

  /** Frees the key so that a retry runs the request again. */
  async release(reservation: Reservation): Promise<void> {
    await this.sql.query(
      `DELETE FROM idempotency_records
       WHERE client_id = $1 AND idempotency_key = $2 AND state = 'in_flight' AND created_at = $3`,
      [reservation.scope.clientId, hashOf(reservation.scope.key), reservation.createdAt],
    );
  }

  /** Housekeeping: expired records already count as absent; this reclaims their space. */
  async forgetExpired(): Promise<number> {
    const [row] = await this.sql.query<{ deleted: number }>(
      `WITH gone AS (DELETE FROM idempotency_records WHERE expires_at <= $1 RETURNING 1)
       SELECT count(*)::int AS deleted FROM gone`,
      [this.clock()],
    );
    return row?.deleted ?? 0;
  }

  private outcomeOf(scope: IdempotencyScope, fingerprint: string, row: RecordRow): ReserveOutcome {
    if (row.fingerprint !== fingerprint) return { kind: 'key_reused' };
    if (row.state === 'in_flight' || row.response_status === null || row.response_body_sealed === null) {
      return { kind: 'in_progress' };
    }
    return {
      kind: 'replay',
      response: {
        status: row.response_status,
        headers: row.response_headers ?? {},
        body: this.seal.open(scope, row.response_body_sealed),
      },
    };
  }
}

function hashOf(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

function after(time: Date, ms: number): Date {
  return new Date(time.getTime() + ms);
}

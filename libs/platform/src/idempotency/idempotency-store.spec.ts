import { randomBytes } from 'node:crypto';
import type { SqlClient } from '../sql/sql-client';
import { type IsolatedSqlClient, SQL_BACKENDS } from '../sql/testing/sql-backends';
import { IdempotencyStore, type Reservation, type ReserveOutcome } from './idempotency-store';

const MINUTE_MS = 60 * 1000;
const response = { status: 201, headers: { location: '/v1/links/lnk_1' }, body: { id: 'lnk_1' } };

function reservationOf(outcome: ReserveOutcome): Reservation {
  if (outcome.kind !== 'reserved') throw new Error(`Expected a reservation, got ${outcome.kind}`);
  return outcome.reservation;
}

describe.each(SQL_BACKENDS)('IdempotencyStore on $name', (backend) => {
  let isolated: IsolatedSqlClient;
  let sql: SqlClient;
  let store: IdempotencyStore;
  let now = new Date('2026-11-20T10:00:00Z');
  const advance = (ms: number) => {
    now = new Date(now.getTime() + ms);
  };

  beforeAll(async () => {
    isolated = await backend.open();
    sql = isolated.sql;
    store = new IdempotencyStore(sql, randomBytes(32).toString('base64'), {
      ttlMs: 60 * MINUTE_MS,
      inFlightLeaseMs: 5 * MINUTE_MS,
      clock: () => now,
    });
    await store.ensureSchema();
    await store.ensureSchema();
  });

  afterAll(async () => {
    await isolated?.dispose();
  });

  it('stores the key hashed', async () => {
    await store.reserve({ clientId: 'app-a', key: 'plain-key-1' }, 'f1');
    const keys = await sql.query<{ idempotency_key: string }>(
      `SELECT idempotency_key FROM idempotency_records WHERE client_id = 'app-a'`,
    );
    expect(keys.map((row) => row.idempotency_key)).toEqual([expect.stringMatching(/^[0-9a-f]{64}$/)]);
  });

  it('frees a key held in flight past its lease, and the late holder records nothing over the new one', async () => {
    const scope = { clientId: 'app-lease', key: 'k' };
    const crashed = reservationOf(await store.reserve(scope, 'f1'));
    advance(4 * MINUTE_MS);
    expect((await store.reserve(scope, 'f1')).kind).toBe('in_progress');

    advance(2 * MINUTE_MS);
    const retry = reservationOf(await store.reserve(scope, 'f1'));
    expect(await store.complete(crashed, { ...response, body: { id: 'stale' } })).toBe(false);
    await store.release(crashed);
    expect(await store.complete(retry, response)).toBe(true);
    expect(await store.reserve(scope, 'f1')).toEqual({ kind: 'replay', response });
  });

  it('remembers a completed record for the TTL from its first use, not the lease', async () => {
    const scope = { clientId: 'app-ttl', key: 'k' };
    expect(await store.complete(reservationOf(await store.reserve(scope, 'f1')), response)).toBe(true);
    advance(59 * MINUTE_MS);
    expect((await store.reserve(scope, 'f1')).kind).toBe('replay');
    advance(MINUTE_MS);
    expect((await store.reserve(scope, 'f2')).kind).toBe('reserved');
  });

  it('tells a reused key from a replay before it tells whether the first request is done', async () => {
    const scope = { clientId: 'app-reuse', key: 'k' };
    await store.reserve(scope, 'f1');
    expect(await store.reserve(scope, 'f2')).toEqual({ kind: 'key_reused' });
  });

  it('forgets expired records and keeps the others', async () => {
    await sql.query('DELETE FROM idempotency_records');
    await store.reserve({ clientId: 'app-old', key: 'k' }, 'f1');
    advance(10 * MINUTE_MS);
    await store.reserve({ clientId: 'app-new', key: 'k' }, 'f1');
    expect(await store.forgetExpired()).toBe(1);
    const left = await sql.query<{ client_id: string }>('SELECT client_id FROM idempotency_records');
    expect(left).toEqual([{ client_id: 'app-new' }]);
  });
});

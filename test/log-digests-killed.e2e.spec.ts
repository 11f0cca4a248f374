import { createPublicKey, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import canonicalize from 'canonicalize';
import { compactVerify } from 'jose';
import { Client } from 'pg';
import { PgliteSqlClient } from '@lib/platform/sql/pglite-sql-client';
import { createTestSchema } from '@lib/platform/sql/testing/test-database';
import { aLinkRequest } from './support/link-request';
import { type Digest, LOG_ROW_COLUMNS, type LogRow, recomputeDigest } from './support/log-digest-rows';
import { buildService, freePort, ServiceProcess, sandboxEnvironment } from './support/service-process';
import { STORES, type StoreUnderTest } from './support/service-under-test';

// Four starts of a real service process per store, three of them killed with SIGKILL under load.
jest.setTimeout(300_000);

const KILLS = 3;
const EVERY = 7;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const between = (min: number, max: number) => min + Math.floor(Math.random() * (max - min));

interface Row extends LogRow {
  data: unknown;
  actor: { type: string; id: string } | null;
}

const LOG_ROWS = `SELECT ${LOG_ROW_COLUMNS}, data, metadata->'actor' AS actor FROM es_events
  ORDER BY transaction_id, global_position`;

/** A payment app asking for links as fast as the service answers; a request the kill swallows is just retried. */
async function appUser(url: string, secret: string, running: { on: boolean }, answered: { count: number }) {
  let token: string | undefined;
  while (running.on) {
    try {
      token ??= await fetch(`${url}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: 'sandbox-app',
          client_secret: secret,
        }),
      })
        .then((response) => response.json() as Promise<{ access_token: string }>)
        .then((body) => body.access_token);
      const response = await fetch(`${url}/v1/links`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(aLinkRequest({ device: `device-${randomUUID()}`, reference: `user-${randomUUID()}` })),
        signal: AbortSignal.timeout(20_000),
      });
      if (response.status === 201) answered.count += 1;
      await response.text();
    } catch {
      await sleep(100);
    }
  }
}

async function operatorCall(url: string, secret: string, path: string) {
  const { access_token } = (await fetch(`${url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: 'sandbox-operator',
      client_secret: secret,
    }),
  }).then((response) => response.json())) as { access_token: string };
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${access_token}` },
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe.each(STORES)('log digests of a service killed with SIGKILL under load, on the %s', (store: StoreUnderTest) => {
  const build = buildService();
  const dataDir = mkdtempSync(join(tmpdir(), 'kouza-link-digest-kill-'));
  let database: Awaited<ReturnType<typeof createTestSchema>> | undefined;
  let service: ServiceProcess;
  const secrets = sandboxEnvironment();

  beforeAll(async () => {
    database = store === 'PostgreSQL server' ? await createTestSchema() : undefined;
    const port = await freePort();
    const env = {
      ...secrets,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'error',
      LOG_DIGEST_EVERY_EVENTS: String(EVERY),
      LOG_DIGEST_INTERVAL_SECONDS: '1',
      ...(database ? { DATABASE_URL: database.url } : {}),
    };
    service = new ServiceProcess(build.main, env, `http://127.0.0.1:${port}`);
    await service.start();
  });

  afterAll(async () => {
    await service?.stop();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
    build.remove();
  });

  /** The rows of the log as the database holds them, read with SQL once the service has stopped. */
  async function rowsOfTheStoppedService(): Promise<Row[]> {
    if (database) {
      const client = new Client({ connectionString: database.url });
      await client.connect();
      try {
        return (await client.query<Row>(LOG_ROWS)).rows;
      } finally {
        await client.end();
      }
    }
    const sql = await PgliteSqlClient.open(dataDir);
    try {
      return await sql.query<Row>(LOG_ROWS);
    } finally {
      await sql.close();
    }
  }

  it('records after each restart the digest an independent recomputation from the raw rows gives, one per sequence number', async () => {
    const running = { on: true };
    const answered = { count: 0 };
    const users = Array.from({ length: 3 }, () => appUser(service.url, secrets.SANDBOX_APP_SECRET, running, answered));
    let lastStart = Date.now();
    for (let kill = 0; kill < KILLS; kill++) {
      const target = answered.count + between(4, 12);
      while (answered.count < target) await sleep(20);
      await sleep(between(0, 400));
      await service.kill();
      lastStart = Date.now();
      await service.start();
    }
    // After the last restart, enough load for the worker to record digests by count again.
    const target = answered.count + 10;
    while (answered.count < target) await sleep(20);
    running.on = false;
    await Promise.all(users);
    // The time rule (1 s) records the tail; then nothing is new: the operator's digest is refused as up to date.
    // Twice in a row: on a shared server the log shows the last events only once every transaction begun before
    // them has ended (another suite's may still be open), and a refusal then is up to date with what is visible.
    const deadline = Date.now() + 30_000;
    let upToDate: { status: number; body: Record<string, unknown> } | undefined;
    let refusals = 0;
    while (Date.now() < deadline && refusals < 2) {
      await sleep(1_500);
      upToDate = await operatorCall(service.url, secrets.SANDBOX_OPERATOR_SECRET, '/v1/admin/evidence/log-digests');
      refusals = upToDate.status === 409 ? refusals + 1 : 0;
    }
    expect(upToDate).toMatchObject({ status: 409, body: { code: 'log_digest_up_to_date' } });
    const verification = await operatorCall(
      service.url,
      secrets.SANDBOX_OPERATOR_SECRET,
      '/v1/admin/evidence/log-verification',
    );
    expect(verification).toMatchObject({ status: 200, body: { verified: true, signaturesUnchecked: [] } });
    await service.stop();

    const rows = await rowsOfTheStoppedService();
    const digestRows = rows.filter((row) => row.stream_name === 'log-digests');
    const digests = digestRows.map((row) => row.data as Digest).sort((a, b) => a.sequence - b.sequence);
    // One digest per sequence number, 1, 2, 3, … each after the one before.
    expect(digests.map((digest) => digest.sequence)).toEqual(digests.map((_, index) => index + 1));
    expect(digests.map((digest) => digest.previousDigestId)).toEqual(
      digests.map((_, index) => (index === 0 ? null : `ldg_${index}`)),
    );
    // The worker recorded digests after the last restart, by itself.
    const afterRestart = digestRows.filter(
      (row) => row.actor?.id === 'log-digest' && Date.parse((row.data as Digest).recordedAt) > lastStart,
    );
    expect(afterRestart.length).toBeGreaterThanOrEqual(2);
    // Each equals the accumulator of the raw rows at its checkpoint, and the last covers every other event.
    for (const digest of digests) {
      expect({ id: digest.id, ...recomputeDigest(rows, digest.upToCheckpoint) }).toEqual({
        id: digest.id,
        digest: digest.digest,
        eventCount: digest.eventCount,
        upToPosition: digest.upToPosition,
      });
    }
    expect(digests.at(-1)?.eventCount).toBe(rows.length - digestRows.length);
    // Signed with the key the service was given, whichever process signed it.
    const publicKey = createPublicKey(secrets.JWT_PRIVATE_KEY);
    for (const digest of digests) {
      const verified = await compactVerify(digest.signature, publicKey);
      expect(verified.protectedHeader.typ).toBe('kouza-link-log-digest+jws');
      const { signature: _signature, ...fields } = digest;
      expect(new TextDecoder().decode(verified.payload)).toBe(canonicalize(fields));
    }
  });
});

import { createHash, generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SQL_CLIENT, type SqlClient } from '@lib/platform/sql/sql-client';
import canonicalize from 'canonicalize';
import { compactVerify, createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { eventually } from './support/eventually';
import { runCli } from './support/run-cli';
import { aLinkRequest } from './support/link-request';
import { type Digest, LOG_ROW_COLUMNS, type LogRow, recomputeDigest } from './support/log-digest-rows';
import { STORES, type ServiceUnderTest, type StoreUnderTest, startService } from './support/service-under-test';

const EVERY = 5;

/** The rows of the log as the database holds them, in read-all order: read with SQL, not with the service's code. */
async function logRows(sql: SqlClient): Promise<LogRow[]> {
  return sql.query<LogRow>(`SELECT ${LOG_ROW_COLUMNS} FROM es_events ORDER BY transaction_id, global_position`);
}

/** Every digest is what the raw rows give at its checkpoint, in an unbroken sequence, signed over its fields. */
async function expectHoldsAgainstRows(digests: readonly Digest[], rows: readonly LogRow[], jwks: JSONWebKeySet) {
  const ordered = [...digests].sort((a, b) => a.sequence - b.sequence);
  expect(ordered.map((digest) => digest.sequence)).toEqual(ordered.map((_, index) => index + 1));
  for (const [index, digest] of ordered.entries()) {
    expect(digest.id).toBe(`ldg_${digest.sequence}`);
    expect(digest.previousDigestId).toBe(index === 0 ? null : `ldg_${index}`);
    expect({ id: digest.id, ...recomputeDigest(rows, digest.upToCheckpoint) }).toEqual({
      id: digest.id,
      digest: digest.digest,
      eventCount: digest.eventCount,
      upToPosition: digest.upToPosition,
    });
    const verified = await compactVerify(digest.signature, createLocalJWKSet(jwks));
    expect(verified.protectedHeader.typ).toBe('kouza-link-log-digest+jws');
    const { signature: _signature, ...fields } = digest;
    expect(new TextDecoder().decode(verified.payload)).toBe(canonicalize(fields));
  }
}

/**
 * Issue 17: the periodic signed digest of the whole log, with the whole service on both stores. The worker's
 * digests, recomputed here from the raw rows; the investigator and operator routes; a row altered in the
 * database found by the verification and the CLI; the evidence bundle's log digest; racing writers.
 */
describe.each(STORES)('the signed digest of the whole log, on %s', (store: StoreUnderTest) => {
  const signingKey = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  let service: ServiceUnderTest;
  let app: string;
  let investigator: string;
  let operator: string;
  let sql: SqlClient;
  let jwks: JSONWebKeySet;
  let dir: string;
  let listening = false;

  beforeAll(async () => {
    service = await startService(store, {
      env: { LOG_DIGEST_EVERY_EVENTS: String(EVERY), LOG_DIGEST_INTERVAL_SECONDS: '3600', JWT_PRIVATE_KEY: signingKey },
    });
    app = await service.token();
    investigator = await service.token('sandbox-investigator');
    operator = await service.token('sandbox-operator');
    sql = service.app.get<SqlClient>(SQL_CLIENT);
    jwks = (await service.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json();
    dir = mkdtempSync(join(tmpdir(), 'log-digests-'));
  });
  afterAll(async () => {
    await service?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const call = (
    method: 'GET' | 'POST',
    url: string,
    options: { bearer?: string; payload?: object; headers?: Record<string, string>; on?: ServiceUnderTest } = {},
  ) =>
    (options.on ?? service).app.inject({
      method,
      url,
      headers: {
        authorization: `Bearer ${options.bearer ?? app}`,
        ...(options.payload ? { 'content-type': 'application/json' } : {}),
        ...options.headers,
      },
      ...(options.payload ? { payload: options.payload } : {}),
    });
  const investigate = (url: string, caseId = 'CASE-LOG-1') =>
    call('GET', url, { bearer: investigator, headers: { 'x-investigation-case': caseId } });
  const requestLinks = async (count: number) => {
    for (let i = 0; i < count; i++) {
      const created = await call('POST', '/v1/links', { payload: aLinkRequest({ device: `device-${randomUUID()}` }) });
      expect(created.statusCode).toBe(201);
    }
  };
  /** Every digest, from the stream itself. */
  const recordedDigests = async () =>
    (
      await sql.query<{ data: Digest }>(
        `SELECT data FROM es_events WHERE stream_name = 'log-digests' ORDER BY revision`,
      )
    ).map((row) => row.data);

  async function cli(argv: string[]) {
    if (!listening) {
      await service.app.listen(0, '127.0.0.1');
      listening = true;
    }
    const url = await service.app.getUrl();
    return runCli(argv, { KOUZA_LINK_URL: url, SANDBOX_OPERATOR_SECRET: service.secrets.operator });
  }

  it('records a digest every LOG_DIGEST_EVERY_EVENTS events, equal to the accumulator of the raw rows, signed with the JWKS key', async () => {
    await requestLinks(4);
    const digests = await eventually(async () => {
      const recorded = await recordedDigests();
      expect(recorded.length).toBeGreaterThanOrEqual(2);
      return recorded;
    });
    for (const digest of digests) expect(digest.eventCount % EVERY).toBe(0);
    await expectHoldsAgainstRows(digests, await logRows(sql), jwks);
    const [first] = await sql.query<{ metadata: { actor: unknown } }>(
      `SELECT metadata FROM es_events WHERE stream_name = 'log-digests' AND revision = 0`,
    );
    expect(first?.metadata.actor).toEqual({ type: 'system', id: 'log-digest' });
  });

  it('lists the digests to investigators newest first, page by page, and shows one; each read audited with its case', async () => {
    await requestLinks(2);
    const all = (await recordedDigests()).reverse();
    expect(all.length).toBeGreaterThanOrEqual(3);
    const first = await investigate('/v1/investigations/log-digests?limit=2', 'CASE-LOG-LIST');
    expect(first.statusCode).toBe(200);
    // The audits of these reads are events too: the worker may record newer digests meanwhile.
    const page = first.json() as { items: Digest[]; nextCursor: string | null };
    expect(page.items).toHaveLength(2);
    const newest = page.items[0] as Digest;
    expect(page.items[1]?.sequence).toBe(newest.sequence - 1);
    expect(page.nextCursor).toBe(`ldg_${newest.sequence - 1}`);
    const next = (
      await investigate(`/v1/investigations/log-digests?limit=2&cursor=${page.nextCursor}`, 'CASE-LOG-LIST')
    ).json() as { items: Digest[] };
    expect(next.items.map((digest) => digest.sequence)).toEqual(
      [newest.sequence - 2, newest.sequence - 3].filter((sequence) => sequence >= 1),
    );
    const one = await investigate(`/v1/investigations/log-digests/${all.at(-1)?.id}`, 'CASE-LOG-ONE');
    expect(one.statusCode).toBe(200);
    expect(one.json()).toEqual(all.at(-1));
    const audits = await sql.query<{ data: { caseId: string; read: Record<string, unknown> } }>(
      `SELECT data FROM es_events WHERE stream_name = 'audit-investigations' AND data->>'caseId' LIKE 'CASE-LOG-%'`,
    );
    expect(audits.map((audit) => [audit.data.caseId, audit.data.read])).toEqual(
      expect.arrayContaining([
        ['CASE-LOG-LIST', { record: 'log_digests' }],
        ['CASE-LOG-LIST', { record: 'log_digests', cursor: page.nextCursor }],
        ['CASE-LOG-ONE', { record: 'log_digest', digestId: 'ldg_1' }],
      ]),
    );
  });

  it('refuses a malformed id (400), answers an unknown one 404 and a read without a case 400, recording nothing', async () => {
    // Settle first: nothing may be pending that the worker could still be recording.
    await eventually(async () => {
      const before = await service.countRows('es_events');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await service.countRows('es_events')).toBe(before);
    });
    const before = await service.countRows('es_events');
    for (const bad of ['ldg_0', 'ldg_01', 'nope', 'ldg_1x', `ldg_${'9'.repeat(20)}`]) {
      const response = await investigate(`/v1/investigations/log-digests/${bad}`);
      expect({ bad, status: response.statusCode, code: response.json().code }).toEqual({
        bad,
        status: 400,
        code: 'validation_failed',
      });
    }
    const unknown = await investigate('/v1/investigations/log-digests/ldg_987654');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('log_digest_not_found');
    for (const url of ['/v1/investigations/log-digests?cursor=lnk_1', '/v1/investigations/log-digests?limit=0']) {
      expect((await investigate(url)).statusCode).toBe(400);
    }
    const noCase = await call('GET', '/v1/investigations/log-digests', { bearer: investigator });
    expect(noCase.statusCode).toBe(400);
    expect(noCase.json().code).toBe('investigation_case_required');
    expect((await call('GET', '/v1/investigations/log-digests/ldg_1', { bearer: investigator })).statusCode).toBe(400);
    expect(
      (await call('GET', '/v1/investigations/log-digests', { bearer: app, headers: { 'x-investigation-case': 'C' } }))
        .statusCode,
    ).toBe(403);
    expect((await call('POST', '/v1/admin/evidence/log-digests', { bearer: investigator })).statusCode).toBe(403);
    expect((await call('POST', '/v1/admin/evidence/log-verification', { bearer: app })).statusCode).toBe(403);
    expect(await service.countRows('es_events')).toBe(before);
  });

  it('lets an operator record a digest now (201), and answers 409 log_digest_up_to_date when nothing is new', async () => {
    await requestLinks(1);
    const recorded = await eventually(async () => {
      const response = await call('POST', '/v1/admin/evidence/log-digests', { bearer: operator });
      expect([201, 409]).toContain(response.statusCode);
      const again = await call('POST', '/v1/admin/evidence/log-digests', { bearer: operator });
      expect(again.statusCode).toBe(409);
      expect(again.json()).toMatchObject({ code: 'log_digest_up_to_date' });
      return again.json() as { latestDigestId: string };
    });
    const latest = (await recordedDigests()).at(-1) as Digest;
    expect(recorded.latestDigestId).toBe(latest.id);
    await requestLinks(1);
    const now = await call('POST', '/v1/admin/evidence/log-digests', { bearer: operator });
    if (now.statusCode === 201) {
      expect(now.json()).toMatchObject({ sequence: expect.any(Number), signature: expect.any(String) });
      const [event] = await sql.query<{ metadata: { actor: unknown } }>(
        `SELECT metadata FROM es_events WHERE stream_name = 'log-digests' AND data->>'id' = $1`,
        [now.json().id],
      );
      expect(event?.metadata.actor).toEqual({ type: 'operator', id: 'sandbox-operator' });
    } else {
      // The worker's count rule got there first: the link's events made up its five.
      expect(now.json().code).toBe('log_digest_up_to_date');
    }
    await expectHoldsAgainstRows(await recordedDigests(), await logRows(sql), jwks);
  });

  it('gives the evidence bundle the latest digest covering its events, and their positions, under its signature', async () => {
    const created = await call('POST', '/v1/links', { payload: aLinkRequest({ device: `device-${randomUUID()}` }) });
    const linkId = created.json().id as string;
    // A 409 alone is not enough: it says nothing new is visible, and on a shared server the log shows the link's
    // events only once every transaction begun before them has ended (another suite's may still be open); so the
    // bundle is held against the latest digest after each refusal until the link's events are covered.
    const { bundle, latest } = await eventually(async () => {
      const response = await call('POST', '/v1/admin/evidence/log-digests', { bearer: operator });
      expect(response.statusCode).toBe(409);
      const bundle = (await investigate(`/v1/investigations/links/${linkId}/evidence`)).json();
      const latest = (await recordedDigests()).at(-1) as Digest;
      expect(bundle.logDigest).toEqual(latest);
      return { bundle, latest };
    });
    const rows = await sql.query<{ event_id: string; position: string; txid: string }>(
      `SELECT event_id::text, global_position::text AS position, transaction_id::text AS txid
         FROM es_events WHERE stream_name = $1`,
      [`link-${linkId}`],
    );
    for (const event of bundle.events as { id: string; globalPosition: number; checkpoint: string }[]) {
      const row = rows.find((candidate) => candidate.event_id === event.id);
      expect(event.globalPosition).toBe(Number(row?.position));
      expect(event.checkpoint).toBe(`${row?.txid.padStart(20, '0')}:${row?.position.padStart(20, '0')}`);
      expect(event.checkpoint <= latest.upToCheckpoint).toBe(true);
    }
    const { signature, ...unsigned } = bundle;
    const signed = JSON.parse(
      new TextDecoder().decode((await compactVerify(signature, createLocalJWKSet(jwks))).payload),
    );
    expect(signed.digest).toBe(
      createHash('sha256')
        .update(canonicalize(unsigned) as string)
        .digest('hex'),
    );
    const path = join(dir, `bundle-${linkId}.json`);
    writeFileSync(path, JSON.stringify(bundle));
    const jwksPath = join(dir, 'jwks.json');
    writeFileSync(jwksPath, JSON.stringify(jwks));
    const verified = await cli(['evidence', 'verify', path, '--jwks', jwksPath]);
    expect(verified).toMatchObject({ code: 0, stderr: '' });
    expect(verified.stdout).toContain(`covered by log digest ${latest.id}, its signature verified`);
    // Another log digest in its place: the bundle's signature no longer covers it.
    const swapped = join(dir, `swapped-${linkId}.json`);
    writeFileSync(swapped, JSON.stringify({ ...bundle, logDigest: null }));
    expect((await cli(['evidence', 'verify', swapped, '--jwks', jwksPath])).stderr).toContain('digest_mismatch');
  });

  it('verifies the log against every digest, and names the first digest covering a row altered in the database', async () => {
    await requestLinks(2);
    // The worker goes on writing (and the recorder digesting) after the requests: the verification checks at least
    // every digest recorded before it, and none that did not exist after it.
    const before = await recordedDigests();
    const ok = await call('POST', '/v1/admin/evidence/log-verification', { bearer: operator });
    expect(ok.statusCode).toBe(200);
    const digests = await recordedDigests();
    expect(ok.json()).toMatchObject({ verified: true, signaturesUnchecked: [] });
    expect(ok.json().digestsChecked).toBeGreaterThanOrEqual(before.length);
    expect(ok.json().digestsChecked).toBeLessThanOrEqual(digests.length);
    expect(ok.json().firstMismatch).toBeUndefined();
    const cliOk = await cli(['verify-log']);
    expect(cliOk).toMatchObject({ code: 0, stderr: '' });
    expect(cliOk.stdout).toMatch(/^OK: \d+ log digests hold against the log/);

    // An event in the middle of the third digest's range, found by its position in log order.
    const target = digests[2] as Digest;
    const rows = await sql.query<{ position: string; stream_name: string; revision: string; event_id: string }>(
      `SELECT global_position::text AS position, stream_name, revision::text, event_id::text FROM es_events
        WHERE stream_name <> 'log-digests'
          AND (transaction_id, global_position) > ($1::text::xid8, $2::bigint)
          AND (transaction_id, global_position) <= ($3::text::xid8, $4::bigint)
        ORDER BY transaction_id, global_position`,
      [
        ...(digests[1] as Digest).upToCheckpoint.split(':').map((part) => BigInt(part).toString()),
        ...target.upToCheckpoint.split(':').map((part) => BigInt(part).toString()),
      ],
    );
    const altered = rows[Math.floor(rows.length / 2)] as (typeof rows)[number];
    const [original] = await sql.query<{ data: unknown; metadata: unknown }>(
      'SELECT data, metadata FROM es_events WHERE global_position = $1',
      [altered.position],
    );

    // Its data changed, its stored hash left alone.
    await sql.query(`UPDATE es_events SET data = jsonb_set(data, '{tampered}', 'true') WHERE global_position = $1`, [
      altered.position,
    ]);
    const byData = (await call('POST', '/v1/admin/evidence/log-verification', { bearer: operator })).json();
    expect(byData).toMatchObject({
      verified: false,
      digestsChecked: 2,
      firstMismatch: {
        digestId: target.id,
        reason: 'event_hash_mismatch',
        afterCheckpoint: (digests[1] as Digest).upToCheckpoint,
        upToCheckpoint: target.upToCheckpoint,
        recorded: { digest: target.digest, eventCount: target.eventCount },
        event: {
          streamName: altered.stream_name,
          revision: Number(altered.revision),
          id: altered.event_id,
          globalPosition: Number(altered.position),
        },
      },
    });
    const cliFailed = await cli(['verify-log']);
    expect(cliFailed.code).toBe(1);
    expect(cliFailed.stderr).toContain(`FAILED: event_hash_mismatch: ${target.id}:`);

    // Its stored hash changed instead (the data as it was).
    await sql.query(
      `UPDATE es_events SET data = $2::jsonb, metadata = jsonb_set(metadata, '{hash}', to_jsonb(repeat('a', 64)))
        WHERE global_position = $1`,
      [altered.position, JSON.stringify(original?.data)],
    );
    const byHash = (await call('POST', '/v1/admin/evidence/log-verification', { bearer: operator })).json();
    expect(byHash).toMatchObject({
      verified: false,
      digestsChecked: 2,
      firstMismatch: { digestId: target.id, reason: 'event_hash_mismatch' },
    });
    expect(byHash.firstMismatch.recomputed.digest).not.toBe(target.digest);

    // Put back, the log verifies again.
    await sql.query('UPDATE es_events SET metadata = $2::jsonb WHERE global_position = $1', [
      altered.position,
      JSON.stringify(original?.metadata),
    ]);
    expect((await call('POST', '/v1/admin/evidence/log-verification', { bearer: operator })).json()).toMatchObject({
      verified: true,
    });
  });

  it('records each sequence number once when writers race: the worker and operators at once, on two services for the server', async () => {
    const second =
      store === 'PostgreSQL server'
        ? await startService(store, {
            env: {
              ...(Object.fromEntries(
                Object.entries(service.env).filter(([name]) =>
                  /^(DATABASE_URL|SERVICE_MASTER_KEY|SANDBOX_)/.test(name),
                ),
              ) as Record<string, string>),
              LOG_DIGEST_EVERY_EVENTS: '3',
              JWT_PRIVATE_KEY: signingKey,
            },
          })
        : undefined;
    try {
      const before = (await recordedDigests()).length;
      const services = second ? [service, second] : [service];
      const load = requestLinks(6);
      const operators = Array.from({ length: 8 }, (_, index) =>
        call('POST', '/v1/admin/evidence/log-digests', {
          bearer: operator,
          on: services[index % services.length],
        }),
      );
      const answers = await Promise.all(operators);
      await load;
      for (const answer of answers) expect([201, 409]).toContain(answer.statusCode);
      const created = answers.filter((answer) => answer.statusCode === 201).map((answer) => answer.json() as Digest);
      expect(new Set(created.map((digest) => digest.sequence)).size).toBe(created.length);
      await eventually(async () => {
        const response = await call('POST', '/v1/admin/evidence/log-digests', { bearer: operator });
        expect(response.statusCode).toBe(409);
      });
      const digests = await recordedDigests();
      expect(digests.length).toBeGreaterThan(before);
      for (const digest of created) expect(digests[digest.sequence - 1]).toEqual(digest);
      await expectHoldsAgainstRows(digests, await logRows(sql), jwks);
      expect((await call('POST', '/v1/admin/evidence/log-verification', { bearer: operator })).json()).toMatchObject({
        verified: true,
        digestsChecked: digests.length,
      });
    } finally {
      await second?.close();
    }
  });

  // Last: it leaves this service's log failing the verification for good, as the README says it does.
  it('no longer verifies a digest covering history written before the hash chain, once the migration chains it', async () => {
    const stream = `legacy-${randomUUID()}`;
    await sql.query(
      `INSERT INTO es_events (transaction_id, stream_name, revision, event_id, event_type, data, metadata, recorded_at)
       VALUES (pg_current_xact_id(), $1, 0, $2, 'LegacyThing', '{"n": 1}', $3::jsonb, now())`,
      [
        stream,
        randomUUID(),
        JSON.stringify({ actor: { type: 'system', id: 'old' }, occurredAt: '2025-01-01T00:00:00Z' }),
      ],
    );
    const recorded = await eventually(async () => {
      const response = await call('POST', '/v1/admin/evidence/log-digests', { bearer: operator });
      expect(response.statusCode).toBe(201);
      return response.json() as Digest;
    });
    // The unchained event counted as "".
    await expectHoldsAgainstRows(await recordedDigests(), await logRows(sql), jwks);
    expect((await call('POST', '/v1/admin/evidence/log-verification', { bearer: operator })).json()).toMatchObject({
      verified: true,
    });
    const migrated = await call('POST', '/v1/admin/evidence/hash-chain-migration', { bearer: operator });
    expect(migrated.json()).toEqual({ streamsChained: 1, eventsChained: 1 });
    const after = (await call('POST', '/v1/admin/evidence/log-verification', { bearer: operator })).json();
    expect(after).toMatchObject({
      verified: false,
      firstMismatch: { digestId: recorded.id, reason: 'digest_mismatch' },
    });
  });
});

describe.each(STORES)('the time rule of the log digest, on %s', (store: StoreUnderTest) => {
  let service: ServiceUnderTest;
  let sql: SqlClient;

  beforeAll(async () => {
    service = await startService(store, {
      env: { LOG_DIGEST_EVERY_EVENTS: '100000000', LOG_DIGEST_INTERVAL_SECONDS: '1' },
    });
    sql = service.app.get<SqlClient>(SQL_CLIENT);
  });
  afterAll(async () => {
    await service?.close();
  });

  const digestsNow = async () =>
    (
      await sql.query<{ data: Digest }>(
        `SELECT data FROM es_events WHERE stream_name = 'log-digests' ORDER BY revision`,
      )
    ).map((row) => row.data);

  it('records a digest once the interval has passed with new events, and none while the log stays idle', async () => {
    const token = await service.token();
    const created = await service.app.inject({
      method: 'POST',
      url: '/v1/links',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: aLinkRequest({ device: `device-${randomUUID()}` }),
    });
    expect(created.statusCode).toBe(201);
    const first = await eventually(async () => {
      const digests = await digestsNow();
      expect(digests.length).toBeGreaterThanOrEqual(1);
      return digests;
    });
    // Idle: the digests' own events are not covered, so nothing is new and no digest follows.
    await eventually(async () => {
      const before = await service.countRows('es_events');
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      expect(await service.countRows('es_events')).toBe(before);
    }, 30_000);
    const idle = await digestsNow();
    expect(idle.length).toBeGreaterThanOrEqual(first.length);
    const last = idle.at(-1) as Digest;
    expect(recomputeDigest(await logRows(sql), last.upToCheckpoint)).toEqual({
      digest: last.digest,
      eventCount: last.eventCount,
      upToPosition: last.upToPosition,
    });
    // Everything but the digests themselves is covered.
    const [{ covered } = { covered: -1 }] = await sql.query<{ covered: number }>(
      `SELECT count(*)::int AS covered FROM es_events WHERE stream_name <> 'log-digests'`,
    );
    expect(last.eventCount).toBe(covered);
    for (const [index, digest] of idle.entries()) {
      if (index > 0) {
        const gap = Date.parse(digest.recordedAt) - Date.parse((idle[index - 1] as Digest).recordedAt);
        expect(gap).toBeGreaterThanOrEqual(1_000);
      }
    }
  });
});

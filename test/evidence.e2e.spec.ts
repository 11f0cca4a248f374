import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SQL_CLIENT, type SqlClient } from '@lib/platform/sql/sql-client';
import canonicalize from 'canonicalize';
import { compactVerify, createLocalJWKSet } from 'jose';
import { eventually } from './support/eventually';
import { runCli } from './support/run-cli';
import { aLinkRequest } from './support/link-request';
import { STORES, type ServiceUnderTest, startService } from './support/service-under-test';

interface StoredEvent {
  streamName: string;
  revision: number;
  id: string;
  type: string;
  data: unknown;
  metadata: Record<string, unknown>;
  personalData: string;
}

/** API.md's formula, recomputed here with the library and node:crypto, not with the service's code. */
function expectChained(events: readonly StoredEvent[]): void {
  let previous = '0'.repeat(64);
  for (const event of events) {
    const { hash, ...withoutHash } = event.metadata;
    expect(withoutHash.previousHash).toBe(previous);
    const text = `${previous}.${canonicalize({ type: event.type, data: event.data, metadata: withoutHash })}`;
    expect(hash).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
    previous = hash as string;
  }
}

const byStream = (events: readonly StoredEvent[]) => {
  const streams = new Map<string, StoredEvent[]>();
  for (const event of events) streams.set(event.streamName, [...(streams.get(event.streamName) ?? []), event]);
  return streams;
};

/**
 * Issue 17, R11: evidence anyone can verify. The hash chain on every event the service writes, the investigator
 * history showing events as stored, the signed bundle and `npm run cli -- evidence verify`, over HTTP with the
 * whole service, on both stores.
 */
describe.each(STORES)('evidence anyone can verify, on %s', (store) => {
  let service: ServiceUnderTest;
  let app: string;
  let investigator: string;
  let dir: string;

  beforeAll(async () => {
    service = await startService(store, { processes: 'running' });
    app = await service.token();
    investigator = await service.token('sandbox-investigator');
    dir = mkdtempSync(join(tmpdir(), 'evidence-'));
  });
  afterAll(async () => {
    await service?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const call = (
    method: 'GET' | 'POST',
    url: string,
    options: { bearer?: string; payload?: object; headers?: Record<string, string> } = {},
  ) =>
    service.app.inject({
      method,
      url,
      headers: {
        authorization: `Bearer ${options.bearer ?? app}`,
        ...(options.payload ? { 'content-type': 'application/json' } : {}),
        ...options.headers,
      },
      ...(options.payload ? { payload: options.payload } : {}),
    });
  const investigate = (url: string, caseId = `CASE-${randomUUID().slice(0, 8)}`) =>
    call('GET', url, { bearer: investigator, headers: { 'x-investigation-case': caseId } });

  async function cli(argv: string[], env: Record<string, string | undefined> = {}) {
    // No secret in the environment unless given: verifying is offline.
    return runCli(argv, env);
  }

  const writeJson = (name: string, value: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(value, null, 2));
    return path;
  };

  async function anActiveLinkWithADebit(): Promise<{ id: string; debitId: string }> {
    const device = `device-${randomUUID()}`;
    const created = await call('POST', '/v1/links', { payload: aLinkRequest({ device }) });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    await call('POST', '/v1/sandbox/banks/9900/authentications', { payload: { linkId: id, scenario: 'success' } });
    await eventually(async () => expect((await call('GET', `/v1/links/${id}`)).json().status).toBe('active'));
    const debit = await call('POST', `/v1/links/${id}/debits`, {
      payload: {
        amount: 1200,
        currency: 'JPY',
        reference: `charge-${randomUUID()}`,
        device: { id: device, ipAddress: '203.0.113.7' },
      },
    });
    expect(debit.statusCode).toBe(201);
    return { id, debitId: debit.json().id as string };
  }

  it('shows investigators each event as stored, which chains, with whether its personal data is sealed', async () => {
    const { id } = await anActiveLinkWithADebit();
    const response = await investigate(`/v1/investigations/links/${id}/events`);
    expect(response.statusCode).toBe(200);
    const { events, debitEvents } = response.json() as { events: StoredEvent[]; debitEvents: StoredEvent[] };
    expectChained(events);
    for (const stream of byStream(debitEvents).values()) expectChained(stream);
    expect(events[0]).toMatchObject({ type: 'LinkRequested', personalData: 'sealed' });
    expect(events.find((event) => event.type !== 'LinkRequested')?.personalData).toBe('none');
  });

  it('exports a signed bundle that verifies offline, and names the event a one-byte change breaks', async () => {
    const { id, debitId } = await anActiveLinkWithADebit();
    const caseId = `CASE-${randomUUID().slice(0, 8)}`;
    const response = await investigate(`/v1/investigations/links/${id}/evidence`, caseId);
    expect(response.statusCode).toBe(200);
    const bundle = response.json();
    expect(Object.keys(bundle).sort()).toEqual([
      'events',
      'exportedAt',
      'linkId',
      'logDigest',
      'signature',
      'streamHashes',
    ]);
    const streams = byStream(bundle.events);
    expect([...streams.keys()].sort()).toEqual([`debit-${debitId}`, `link-${id}`, `spending-${id}`].sort());

    // Independently of the CLI: each chain, each head, the JWS against the served JWKS, its digest.
    for (const [name, events] of streams) {
      expectChained(events);
      expect(bundle.streamHashes[name]).toBe(events.at(-1)?.metadata.hash);
    }
    const jwks = (await service.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json();
    const verified = await compactVerify(bundle.signature, createLocalJWKSet(jwks));
    const signed = JSON.parse(new TextDecoder().decode(verified.payload));
    const { signature: _signature, ...unsigned } = bundle;
    expect(signed).toEqual({
      linkId: id,
      exportedAt: bundle.exportedAt,
      streamHashes: bundle.streamHashes,
      digest: createHash('sha256')
        .update(canonicalize(unsigned) as string)
        .digest('hex'),
    });

    const jwksFile = writeJson('jwks.json', jwks);
    const ok = await cli(['evidence', 'verify', writeJson('bundle.json', bundle), '--jwks', jwksFile]);
    expect(ok).toMatchObject({ code: 0, stderr: '' });
    expect(ok.stdout).toMatch(/^OK: \d+ events in 3 streams/);

    // One byte: 1200 yen becomes 1300 in the debit's first event.
    const text = JSON.stringify(bundle);
    const debitEvent = bundle.events.find((event: StoredEvent) => event.streamName === `debit-${debitId}`);
    const altered = JSON.parse(text);
    const target = altered.events.find((event: StoredEvent) => event.id === debitEvent.id);
    target.data.amount = 1300;
    const broken = await cli(['evidence', 'verify', writeJson('altered.json', altered), '--jwks', jwksFile]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain(`FAILED: chain_broken: debit-${debitId}@0 (${debitEvent.type}, ${debitEvent.id})`);

    // Outside the chains (exportedAt): the signature no longer covers the bundle.
    const moved = await cli([
      'evidence',
      'verify',
      writeJson('moved.json', { ...bundle, exportedAt: '2020-01-01T00:00:00.000Z' }),
      '--jwks',
      jwksFile,
    ]);
    expect(moved).toMatchObject({ code: 1 });
    expect(moved.stderr).toContain('digest_mismatch');

    // Another key: the signature does not verify.
    const { generateKeyPair, exportJWK } = await import('jose');
    const other = await exportJWK((await generateKeyPair('EdDSA', { extractable: true })).publicKey);
    const foreign = await cli([
      'evidence',
      'verify',
      writeJson('bundle2.json', bundle),
      '--jwks',
      writeJson('other.json', { keys: [{ ...other, kid: jwks.keys[0].kid, alg: 'EdDSA' }] }),
    ]);
    expect(foreign.stderr).toContain('signature_invalid');

    // The download is an audited investigator read.
    const audit = await service.eventTypesOf('audit-investigations');
    expect(audit).toContain('InvestigationRecordRead');
  });

  it('detects a row altered in the database afterwards', async () => {
    const { id } = await anActiveLinkWithADebit();
    const sql = service.app.get<SqlClient>(SQL_CLIENT);
    await sql.query(
      `UPDATE es_events SET data = jsonb_set(data, '{reason}', '"rewritten"') WHERE stream_name = $1 AND revision = 1`,
      [`link-${id}`],
    );
    const [altered] = await sql.query<{ event_type: string; event_id: string }>(
      'SELECT event_type, event_id::text FROM es_events WHERE stream_name = $1 AND revision = 1',
      [`link-${id}`],
    );
    const bundle = (await investigate(`/v1/investigations/links/${id}/evidence`)).json();
    const jwks = (await service.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json();
    const result = await cli([
      'evidence',
      'verify',
      writeJson(`db-${id}.json`, bundle),
      '--jwks',
      writeJson('jwks2.json', jwks),
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `FAILED: chain_broken: link-${id}@1 (${altered?.event_type}, ${altered?.event_id})`,
    );
  });

  it('chains history written before the hash chain when an operator runs the migration, and records it', async () => {
    const sql = service.app.get<SqlClient>(SQL_CLIENT);
    const stream = `legacy-${randomUUID()}`;
    for (const revision of [0, 1]) {
      await sql.query(
        `INSERT INTO es_events (transaction_id, stream_name, revision, event_id, event_type, data, metadata, recorded_at)
         VALUES (pg_current_xact_id(), $1, $2, $3, 'LegacyThing', '{"n": 1}', $4::jsonb, now())`,
        [
          stream,
          revision,
          randomUUID(),
          JSON.stringify({ actor: { type: 'system', id: 'old' }, occurredAt: '2025-01-01T00:00:00.000Z' }),
        ],
      );
    }
    const operator = await service.token('sandbox-operator');
    expect((await call('POST', '/v1/admin/evidence/hash-chain-migration', { bearer: investigator })).statusCode).toBe(
      403,
    );
    const migrated = await call('POST', '/v1/admin/evidence/hash-chain-migration', { bearer: operator });
    expect(migrated.statusCode).toBe(200);
    expect(migrated.json()).toEqual({ streamsChained: 1, eventsChained: 2 });
    const rows = await sql.query<StoredEvent & { event_type: string }>(
      'SELECT stream_name AS "streamName", revision::int, event_type AS type, data, metadata FROM es_events WHERE stream_name = $1 ORDER BY revision',
      [stream],
    );
    expectChained(rows);
    expect(await service.eventTypesOf('evidence-hash-chain-migration')).toEqual(['LegacyHistoryChained']);
    expect((await call('POST', '/v1/admin/evidence/hash-chain-migration', { bearer: operator })).json()).toEqual({
      streamsChained: 0,
      eventsChained: 0,
    });
  });

  it('exports a bundle with the CLI over HTTP and verifies it against the JWKS the service serves', async () => {
    const { id } = await anActiveLinkWithADebit();
    await service.app.listen(0, '127.0.0.1');
    const url = await service.app.getUrl();
    const out = join(dir, `exported-${id}.json`);
    const env = { KOUZA_LINK_URL: url, SANDBOX_INVESTIGATOR_SECRET: service.secrets.investigator };
    const exported = await cli(['evidence', 'export', id, '--case', 'CASE-CLI', '--out', out], env);
    expect(exported).toMatchObject({ code: 0, stderr: '' });
    expect(exported.stdout).toContain(`Wrote the evidence of ${id}`);
    const verified = await cli(['evidence', 'verify', out], { KOUZA_LINK_URL: url });
    expect(verified).toMatchObject({ code: 0, stderr: '' });
    expect(verified.stdout).toMatch(/^OK: /);
    expect((await cli(['evidence', 'export', id, '--case', 'CASE-CLI', '--out', out])).code).toBe(2);
  });

  it('answers a link that does not exist with 404 link_not_found, and a missing case with 400', async () => {
    const missing = await investigate('/v1/investigations/links/lnk_01JDX0000000000000000000000/evidence');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('link_not_found');
    const noCase = await call('GET', '/v1/investigations/links/lnk_01JDX0000000000000000000000/evidence', {
      bearer: investigator,
    });
    expect(noCase.statusCode).toBe(400);
  });
});

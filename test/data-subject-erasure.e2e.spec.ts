import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  PERSONAL_DATA_VAULT,
  type PersonalDataVault,
} from '@lib/account-linking/application/ports/personal-data-vault.port';
import { SQL_CLIENT, type SqlClient } from '@lib/platform/sql/sql-client';
import canonicalize from 'canonicalize';
import type { CliIo } from '../apps/cli/src/cli-command';
import { main } from '../apps/cli/src/main';
import { distinctiveLinkRequest, personalDataIn } from './support/distinctive-link-request';
import { eventually } from './support/eventually';
import { STORES, type ServiceUnderTest, startService } from './support/service-under-test';

interface StoredEvent {
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  personalData: string;
}

/** API.md's formula, recomputed with the library and node:crypto, not the service's code. */
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

/** Issue 17, R14: lawful erasure by crypto-shredding, over HTTP with the whole service, on both stores. */
describe.each(STORES)('erasing a data subject, on %s', (store) => {
  let service: ServiceUnderTest;
  let app: string;
  let operator: string;
  let investigator: string;
  let dir: string;

  beforeAll(async () => {
    service = await startService(store, { processes: 'running' });
    app = await service.token();
    operator = await service.token('sandbox-operator');
    investigator = await service.token('sandbox-investigator');
    dir = mkdtempSync(join(tmpdir(), 'erasure-'));
  });
  afterAll(async () => {
    await service?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const call = (
    method: 'GET' | 'POST',
    url: string,
    bearer: string,
    payload?: object,
    headers: Record<string, string> = {},
  ) =>
    service.app.inject({
      method,
      url,
      headers: {
        authorization: `Bearer ${bearer}`,
        ...(payload ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(payload ? { payload } : {}),
    });
  const investigate = (url: string) =>
    call('GET', url, investigator, undefined, { 'x-investigation-case': 'CASE-ERASURE' });
  const erase = (body: object, bearer = operator) => call('POST', '/v1/admin/data-subjects/erasure', bearer, body);

  it('destroys the key: the history keeps its shape and chain, shows erased; the erasure is an event; later requests are refused', async () => {
    const { body, personal } = distinctiveLinkRequest();
    const created = await call('POST', '/v1/links', app, body);
    expect(created.statusCode).toBe(201);
    const linkId = created.json().id as string;
    await call('POST', '/v1/sandbox/banks/9900/authentications', app, { linkId, scenario: 'success' });
    await eventually(async () => expect((await call('GET', `/v1/links/${linkId}`, app)).json().status).toBe('active'));

    const before = (await investigate(`/v1/investigations/links/${linkId}/events`)).json().events as StoredEvent[];
    expect(before[0]).toMatchObject({ type: 'LinkRequested', personalData: 'sealed' });
    const sealedAttributes = (before[0]?.data.ekyc as { attributes: string } | undefined)?.attributes ?? '';
    const vault = service.app.get<PersonalDataVault>(PERSONAL_DATA_VAULT);
    expect(await vault.open(sealedAttributes)).toMatchObject({ name: { kanji: personal.kanji } });

    // Bad input changes nothing.
    const rows = await service.countRows('es_events');
    const blank = await erase({
      paymentAppId: 'sandbox-app',
      customerReference: personal.customerReference,
      legalBasis: '  ',
    });
    expect(blank.statusCode).toBe(400);
    expect(blank.json().code).toBe('validation_failed');
    expect(
      (
        await erase(
          { paymentAppId: 'sandbox-app', customerReference: personal.customerReference, legalBasis: 'x' },
          app,
        )
      ).statusCode,
    ).toBe(403);
    expect(await service.countRows('es_events')).toBe(rows);
    expect(await vault.open(sealedAttributes)).toBeDefined();

    const legalBasis = 'APPI art. 35 request REQ-2026-0042';
    const erased = await erase({
      paymentAppId: 'sandbox-app',
      customerReference: personal.customerReference,
      legalBasis,
    });
    expect(erased.statusCode).toBe(200);
    const erasure = erased.json();
    expect(erasure).toMatchObject({
      paymentAppId: 'sandbox-app',
      legalBasis,
      newlyErased: true,
      subjectId: expect.stringMatching(/^sub_/),
    });
    expect(JSON.stringify(erasure)).not.toContain(personal.customerReference);

    // The key is gone from the database; what was sealed for the subject no longer opens, in any process.
    const sql = service.app.get<SqlClient>(SQL_CLIENT);
    const [key] = await sql.query<{ gone: boolean }>(
      'SELECT wrapped_key IS NULL AS gone FROM subject_keys WHERE subject_id = $1',
      [erasure.subjectId],
    );
    expect(key?.gone).toBe(true);
    expect(await vault.open(sealedAttributes)).toBeUndefined();
    expect(
      personalDataIn(await service.dumpDatabase(), {
        kanji: personal.kanji,
        kana: personal.kana,
        birthDate: personal.birthDate,
        phone: personal.phone,
        addressLine: personal.addressLine,
        accountNumber: personal.accountNumber,
      }),
    ).toEqual([]);

    // The history keeps every event, as stored, and its chain; it says the personal data is erased.
    const after = (await investigate(`/v1/investigations/links/${linkId}/events`)).json().events as StoredEvent[];
    const asStored = (events: StoredEvent[]) => events.map(({ personalData: _p, ...event }) => event);
    expect(asStored(after.slice(0, before.length))).toEqual(asStored(before));
    expectChained(after);
    expect(after[0]?.personalData).toBe('erased');

    // The evidence bundle still verifies.
    const bundle = (await investigate(`/v1/investigations/links/${linkId}/evidence`)).json();
    expect(bundle.events[0].personalData).toBe('erased');
    const jwks = (await service.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json();
    writeFileSync(join(dir, 'bundle.json'), JSON.stringify(bundle));
    writeFileSync(join(dir, 'jwks.json'), JSON.stringify(jwks));
    let out = '';
    const io: CliIo = {
      out: (text) => {
        out += text;
      },
      err: (text) => {
        out += text;
      },
      interactive: false,
      sleep: async () => undefined,
      writeFile: async () => undefined,
      now: () => new Date(),
    };
    expect(await main(['evidence', 'verify', join(dir, 'bundle.json'), '--jwks', join(dir, 'jwks.json')], {}, io)).toBe(
      0,
    );
    expect(out).toMatch(/^OK:/);

    // The erasure is itself an event, with the legal basis and the operator, on the subject's stream.
    expect(await service.eventTypesOf(`data-subject-${erasure.subjectId}`)).toEqual(['DataSubjectErased']);
    const [recorded] = await sql.query<{ data: Record<string, unknown>; metadata: { actor: unknown } }>(
      'SELECT data, metadata FROM es_events WHERE stream_name = $1',
      [`data-subject-${erasure.subjectId}`],
    );
    expect(recorded?.data).toMatchObject({ legalBasis, subjectId: erasure.subjectId });
    expect(recorded?.metadata.actor).toEqual({ type: 'operator', id: 'sandbox-operator' });

    // Again: the same answer, nothing new recorded.
    const again = await erase({
      paymentAppId: 'sandbox-app',
      customerReference: personal.customerReference,
      legalBasis: 'another',
    });
    expect(again.json()).toMatchObject({ newlyErased: false, legalBasis, erasedAt: erasure.erasedAt });
    expect(await service.eventTypesOf(`data-subject-${erasure.subjectId}`)).toHaveLength(1);

    // A later request for the subject is refused before anything is written.
    const rowsBefore = await service.countRows('es_events');
    const refused = await call('POST', '/v1/links', app, {
      ...body,
      bankAccount: { ...body.bankAccount, number: '1234567' },
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().code).toBe('data_subject_erased');
    expect(await service.countRows('es_events')).toBe(rowsBefore);
  });
});

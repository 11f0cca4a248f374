import { randomBytes, randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { legacyBankKillSwitchStream } from '@lib/account-linking/application/bank-streams';
import {
  LEGACY_BANK_TABLES,
  legacyBankInserts,
} from '@lib/account-linking/infrastructure/banks/testing/legacy-bank-tables';
import { EVENT_STORE, type EventStore } from '@lib/event-store/event-store.port';
import { PersonalDataCipher } from '@lib/platform/crypto/personal-data-cipher';
import { SQL_CLIENT, type SqlClient } from '@lib/platform/sql/sql-client';
import { aLinkRequest } from './support/link-request';
import { STORES, type ServiceUnderTest, startService } from './support/service-under-test';

const POLICY = {
  customerNotifiedBy: 'service',
  coolingOffMinutes: 0,
  customerConfirmationRequired: false,
  phishingResistantFactorRequired: false,
} as const;

const authenticationFailed = (linkId: string) => ({
  type: 'authentication.failed',
  data: { linkId, reason: 'the customer gave up' },
});

function client(service: ServiceUnderTest, operator: string, app: string) {
  const json = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });
  return {
    suspend: (bankCode: string, reason: string) =>
      service.app.inject({
        method: 'POST',
        url: `/v1/admin/banks/${bankCode}/suspension`,
        headers: json(operator),
        payload: { reason },
      }),
    lift: (bankCode: string) =>
      service.app.inject({
        method: 'DELETE',
        url: `/v1/admin/banks/${bankCode}/suspension`,
        headers: { authorization: `Bearer ${operator}` },
      }),
    show: (bankCode: string) =>
      service.app.inject({
        method: 'GET',
        url: `/v1/admin/banks/${bankCode}`,
        headers: { authorization: `Bearer ${operator}` },
      }),
    admin: (method: 'PUT' | 'POST', url: string, payload: object) =>
      service.app.inject({ method, url, headers: json(operator), payload }),
    requestLink: (bankCode: string) =>
      service.app.inject({ method: 'POST', url: '/v1/links', headers: json(app), payload: aLinkRequest({ bankCode }) }),
  };
}

describe.each(STORES)('a bank’s stream is the one truth of its state, read with no lag, on %s', (store) => {
  let service: ServiceUnderTest;
  let api: ReturnType<typeof client>;

  beforeAll(async () => {
    service = await startService(store);
    api = client(service, await service.token('sandbox-operator'), await service.token('sandbox-app'));
    await service.registerBank('0021', POLICY);
  });
  afterAll(async () => {
    await service?.close();
  });

  it('refuses the very next link request after a suspension, and takes the very next one after lifting', async () => {
    for (let round = 1; round <= 3; round++) {
      expect((await api.suspend('0021', `round ${round}`)).statusCode).toBe(200);
      const refused = await api.requestLink('0021');
      expect(refused.statusCode).toBe(422);
      expect(refused.json().code).toBe('bank_suspended');
      expect((await api.lift('0021')).statusCode).toBe(200);
      expect((await api.requestLink('0021')).statusCode).toBe(201);
    }
    const types = await service.eventTypesOf('bank-registry-0021');
    expect(types.filter((type) => type.startsWith('BankSuspen'))).toEqual([
      'BankSuspended',
      'BankSuspensionLifted',
      'BankSuspended',
      'BankSuspensionLifted',
      'BankSuspended',
      'BankSuspensionLifted',
    ]);
  });

  it('verifies a webhook signed with a key added a moment before', async () => {
    expect(
      (await api.admin('PUT', '/v1/admin/banks/0022', { name: 'Fresh Key Bank', policy: POLICY })).statusCode,
    ).toBe(201);
    const linkId = (await api.requestLink('0022')).json().id;
    const added = await api.admin('POST', '/v1/admin/banks/0022/webhook-keys', { keyId: 'fresh', kind: 'hmac' });
    expect(added.statusCode).toBe(201);
    const webhook = await service.sendBankEvent(authenticationFailed(linkId), {
      bankCode: '0022',
      secret: added.json().secret,
    });
    expect(webhook.statusCode).toBe(204);
  });

  it('records each change with the operator who made it, and no key material', async () => {
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    await api.admin('PUT', '/v1/admin/banks/0023', { name: 'Audited Bank', policy: POLICY });
    await api.admin('POST', '/v1/admin/banks/0023/webhook-keys', { keyId: 'given', kind: 'hmac', secret });
    await api.suspend('0023', 'audit');
    const events = await service.app.get<EventStore>(EVENT_STORE).readStream('bank-registry-0023');
    expect(events.map((event) => [event.type, event.metadata.actor])).toEqual([
      ['BankRegistered', { type: 'operator', id: 'sandbox-operator' }],
      ['BankWebhookKeyAdded', { type: 'operator', id: 'sandbox-operator' }],
      ['BankSuspended', { type: 'operator', id: 'sandbox-operator' }],
    ]);
    expect(JSON.stringify(events)).not.toContain(secret.slice('whsec_'.length));
  });
});

describe('a data folder of an older version, with banks in the old tables', () => {
  let service: ServiceUnderTest | undefined;
  let dataDir: string | undefined;
  afterAll(async () => {
    await service?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps working: its banks are imported once at start, kill switch and keys included', async () => {
    const first = await startService('embedded PGlite', { keepDataDir: true });
    dataDir = first.dataDir;
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    const sql = first.app.get<SqlClient>(SQL_CLIENT);
    const cipher = first.app.get(PersonalDataCipher);
    // What an older version left: its tables, and the kill switch's own stream.
    await sql.exec(LEGACY_BANK_TABLES);
    const rows = [
      {
        code: '0777',
        name: 'Old Suspended Bank',
        policy: POLICY,
        suspendedAt: new Date('2026-11-02T00:00:00.000Z'),
        suspensionReason: 'phishing wave',
        keys: [
          { keyId: 'old-hmac', kind: 'hmac' as const, materialSealed: await cipher.encrypt('bank-keys-0777', secret) },
        ],
      },
      { code: '0778', name: 'Old Bank', policy: { ...POLICY, coolingOffMinutes: 30 } },
    ];
    for (const row of rows) for (const insert of legacyBankInserts(row)) await sql.query(insert.sql, insert.params);
    await first.app.get<EventStore>(EVENT_STORE).appendToStream(
      legacyBankKillSwitchStream('0777'),
      [
        {
          id: randomUUID(),
          type: 'BankSuspended',
          data: { bankCode: '0777', reason: 'phishing wave', at: '2026-11-02T00:00:00.000Z' },
          metadata: {
            actor: { type: 'operator', id: 'sandbox-operator' },
            correlationId: 'c',
            causationId: 'c',
            occurredAt: '2026-11-02T00:00:00.000Z',
          },
        },
      ],
      'no_stream',
    );
    await first.close();

    service = await startService('embedded PGlite', { dataDir: first.dataDir });
    const api = client(service, await service.token('sandbox-operator'), await service.token('sandbox-app'));
    const shown = await api.show('0777');
    expect(shown.statusCode).toBe(200);
    expect(shown.json()).toMatchObject({
      bankCode: '0777',
      name: 'Old Suspended Bank',
      policy: POLICY,
      suspension: { suspended: true, reason: 'phishing wave', since: '2026-11-02T00:00:00.000Z' },
      webhookKeys: [{ keyId: 'old-hmac', kind: 'hmac', validNow: true }],
    });
    expect((await api.show('0778')).json().policy.coolingOffMinutes).toBe(30);

    expect((await api.requestLink('0777')).json().code).toBe('bank_suspended');
    expect((await api.lift('0777')).statusCode).toBe(200);
    const linkId = (await api.requestLink('0777')).json().id;
    const webhook = await service.sendBankEvent(authenticationFailed(linkId), { bankCode: '0777', secret });
    expect(webhook.statusCode).toBe(204);
    expect(await service.eventTypesOf('bank-registry-0777')).toEqual(['BankImported', 'BankSuspensionLifted']);
    await service.close();

    // A third start imports nothing again: the stream is the truth now, whatever the tables say.
    service = await startService('embedded PGlite', { dataDir: first.dataDir, keepDataDir: false });
    expect(await service.eventTypesOf('bank-registry-0777')).toEqual(['BankImported', 'BankSuspensionLifted']);
    expect(await service.eventTypesOf('bank-registry-0778')).toEqual(['BankImported']);
  });
});

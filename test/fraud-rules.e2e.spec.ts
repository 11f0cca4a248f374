import { randomUUID } from 'node:crypto';
import type { Response as InjectResponse } from 'light-my-request';
import {
  BANK_ACCOUNT_TOKENS,
  type BankAccountTokens,
} from '@lib/account-linking/application/ports/bank-account-tokens.port';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '@lib/event-store/event-store.port';
import { SQL_CLIENT, type SqlClient } from '@lib/platform/sql/sql-client';
import { eventually } from './support/eventually';
import { aLinkRequest } from './support/link-request';
import { STORES, type ServiceUnderTest, startService } from './support/service-under-test';

const CUSTOMER_OBJECTED_RULE = 'process-manager:fraud-rule-customer-objected';
const ACCOUNT_CLOSED_RULE = 'process-manager:fraud-rule-account-closed';

const randomAccountNumber = () => String(1_000_000 + Math.floor(Math.random() * 8_999_999));

/**
 * The fraud rules that act without a person (API.md "Actor defences and fraud rules", R6): a bank's webhook
 * comes in over HTTP, signed; the worker's rules suspend or revoke the links it concerns, as system decisions.
 */
describe.each(STORES)('fraud rules over HTTP, on %s', (store) => {
  let service: ServiceUnderTest;
  let app: string;
  let operator: string;
  let events: EventStore;

  beforeAll(async () => {
    service = await startService(store, { processes: 'running' });
    app = await service.token();
    operator = await service.token('sandbox-operator');
    events = service.app.get<EventStore>(EVENT_STORE);
  });
  afterAll(async () => {
    await service?.close();
  });

  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, bearer = app, payload?: object) =>
    service.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${bearer}`, ...(payload ? { 'content-type': 'application/json' } : {}) },
      ...(payload ? { payload } : {}),
    });
  const linkOf = async (id: string, bearer = app) => (await call('GET', `/v1/links/${id}`, bearer)).json();
  const eventsOf = (linkId: string) => events.readStream(`link-${linkId}`);
  const eventOf = async (linkId: string, type: string): Promise<RecordedEvent> => {
    const found = (await eventsOf(linkId)).find((event) => event.type === type);
    if (!found) throw new Error(`no ${type} on ${linkId}`);
    return found;
  };

  const requestLink = async (options: Parameters<typeof aLinkRequest>[0] = {}, bearer = app): Promise<string> => {
    const created = await call('POST', '/v1/links', bearer, aLinkRequest(options));
    expect(created.statusCode).toBe(201);
    return created.json().id;
  };
  const anActiveLink = async (options: Parameters<typeof aLinkRequest>[0] = {}): Promise<string> => {
    const id = await requestLink(options);
    await call('POST', '/v1/sandbox/banks/9900/authentications', app, { linkId: id, scenario: 'success' });
    await eventually(async () => expect((await linkOf(id)).status).toBe('active'));
    return id;
  };
  const accepted = async (body: unknown) => {
    const response = await service.sendBankEvent(body);
    expect(response.statusCode).toBe(204);
  };

  /** API.md: `suspendedBy` / `revokedBy` system, `reason` fraud_rule:<name>, caused by the bank's event. */
  const expectSystemDecision = async (
    linkId: string,
    type: 'LinkSuspended' | 'LinkRevoked',
    rule: string,
    trigger: RecordedEvent,
  ) => {
    const decision = await eventOf(linkId, type);
    expect(decision).toMatchObject({
      data: { linkId, by: 'system', reason: `fraud_rule:${rule}` },
      metadata: { actor: { type: 'system', id: `fraud-rule:${rule}` }, causationId: trigger.id },
    });
  };

  it('an objection suspends the device’s and the customer’s other active links and revokes their pending ones', async () => {
    const device = `device-${randomUUID()}`;
    const customer = `user-${randomUUID()}`;
    const objected = await anActiveLink({ device, reference: customer });
    const sameDevice = await anActiveLink({ device });
    const sameCustomerPending = await requestLink({ reference: customer, device: `phone-${randomUUID()}` });
    const unrelated = await anActiveLink({ device: `phone-${randomUUID()}` });
    const unrelatedEvents = await eventsOf(unrelated);

    await accepted({ type: 'customer.objected', data: { linkId: objected, at: new Date().toISOString() } });

    await eventually(async () => {
      expect((await linkOf(sameDevice)).status).toBe('suspended');
      expect(await linkOf(sameCustomerPending)).toMatchObject({
        status: 'revoked',
        reason: 'revoked_by_system',
        reasonDetail: 'fraud_rule:customer_objected',
      });
    });
    const trigger = await eventOf(objected, 'CustomerObjected');
    await expectSystemDecision(sameDevice, 'LinkSuspended', 'customer_objected', trigger);
    await expectSystemDecision(sameCustomerPending, 'LinkRevoked', 'customer_objected', trigger);
    expect(await linkOf(objected)).toMatchObject({ status: 'revoked', reason: 'revoked_by_customer' });
    expect((await eventsOf(objected)).slice(-2).map((event) => event.type)).toEqual([
      'CustomerObjected',
      'LinkRevoked',
    ]);
    expect(await eventsOf(unrelated)).toEqual(unrelatedEvents);

    // Both actors are blocked: neither the device nor the customer can ask again.
    for (const who of [{ device }, { reference: customer }]) {
      const again = await call('POST', '/v1/links', app, aLinkRequest(who));
      expect(again.statusCode).toBe(422);
      expect(again.json().code).toBe('actor_blocked');
    }
    const blocks = (await call('GET', '/v1/admin/actor-blocks?active=true', operator)).json().items as {
      actor: { kind: string; key: string };
      reason: string;
    }[];
    expect(blocks.filter((block) => block.actor.key === device || block.actor.key === customer)).toEqual([
      expect.objectContaining({
        actor: expect.objectContaining({ kind: expect.any(String) }),
        reason: 'fraud_rule:customer_objected',
      }),
      expect.objectContaining({ reason: 'fraud_rule:customer_objected' }),
    ]);
  });

  it('a bank’s fraud report is recorded on the link and suspends it and the device’s other links', async () => {
    const device = `device-${randomUUID()}`;
    const reported = await anActiveLink({ device });
    const sibling = await anActiveLink({ device });

    await accepted({ type: 'fraud.reported', data: { linkId: reported, reason: 'proceeds of a phishing scam' } });

    const trigger = await eventOf(reported, 'FraudReported');
    expect(trigger).toMatchObject({
      data: { linkId: reported, by: 'bank', reason: 'proceeds of a phishing scam' },
      metadata: { actor: { type: 'bank', id: '9900' } },
    });
    await eventually(async () => {
      expect((await linkOf(reported)).status).toBe('suspended');
      expect((await linkOf(sibling)).status).toBe('suspended');
    });
    await expectSystemDecision(reported, 'LinkSuspended', 'customer_objected', trigger);
    await expectSystemDecision(sibling, 'LinkSuspended', 'customer_objected', trigger);
  });

  it('a bank’s account closure revokes every link on the account, of every app, and never stores the number', async () => {
    const number = randomAccountNumber();
    const otherApp = await service.paymentAppToken(`other-pay-${randomUUID().slice(0, 8)}`);
    const active = await anActiveLink({ number });
    const otherAppsPending = await requestLink({ number }, otherApp);
    const otherAccount = await anActiveLink();

    await accepted({ type: 'account.closed', data: { bankAccount: { branchCode: '001', type: 'ordinary', number } } });

    await eventually(async () => {
      for (const [id, bearer] of [
        [active, app],
        [otherAppsPending, otherApp],
      ] as const) {
        expect(await linkOf(id, bearer)).toMatchObject({
          status: 'revoked',
          reason: 'revoked_by_system',
          reasonDetail: 'fraud_rule:account_closed',
        });
      }
    });
    const token = service.app
      .get<BankAccountTokens>(BANK_ACCOUNT_TOKENS)
      .tokenFor({ bankCode: '9900', branchCode: '001', type: 'ordinary', number });
    const guard = await events.readStream(`bank-account-${token}`);
    const closed = guard.find((event) => event.type === 'BankAccountClosed');
    expect(closed).toMatchObject({ metadata: { actor: { type: 'bank', id: '9900' } } });
    await expectSystemDecision(active, 'LinkRevoked', 'account_closed', closed as RecordedEvent);
    await expectSystemDecision(otherAppsPending, 'LinkRevoked', 'account_closed', closed as RecordedEvent);
    expect((await linkOf(otherAccount)).status).toBe('active');
    expect(await service.dumpDatabase()).not.toMatch(new RegExp(`(?<!\\d)${number}(?!\\d)`));

    // The closed account takes no new link, of any app; its history shows the closure and the refusal.
    const refused = await call('POST', '/v1/links', otherApp, aLinkRequest({ number }));
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ code: 'account_closed', linkId: expect.stringMatching(/^lnk_/) });
    const investigator = await service.token('sandbox-investigator');
    await eventually(async () => {
      const history = await service.app.inject({
        method: 'GET',
        url: `/v1/investigations/bank-accounts?bankCode=9900&branchCode=001&type=ordinary&number=${number}`,
        headers: { authorization: `Bearer ${investigator}`, 'x-investigation-case': 'case-closure-1' },
      });
      expect(history.statusCode).toBe(200);
      const entries = history.json().entries as { kind: string; outcome?: string; reason?: string; at?: string }[];
      expect(entries).toContainEqual({
        kind: 'account_closed',
        at: ((closed as RecordedEvent).data as { at: string }).at,
      });
      expect(entries).toContainEqual(
        expect.objectContaining({ kind: 'link_attempt', linkId: refused.json().linkId, reason: 'account_closed' }),
      );
    });
  });

  it('a replay of the whole log by both rules takes no second action, even on a link an operator reinstated', async () => {
    const device = `device-${randomUUID()}`;
    const objected = await anActiveLink({ device });
    const reinstated = await anActiveLink({ device });
    const pending = await requestLink({ device });
    await accepted({ type: 'customer.objected', data: { linkId: objected, at: new Date().toISOString() } });
    await eventually(async () => expect((await linkOf(reinstated)).status).toBe('suspended'));
    const lifted = await call('DELETE', `/v1/admin/links/${reinstated}/suspension`, operator, { reason: 'cleared' });
    expect(lifted.json().status).toBe('active');
    const number = randomAccountNumber();
    const onClosedAccount = await anActiveLink({ number });
    await accepted({ type: 'account.closed', data: { bankAccount: { branchCode: '001', type: 'ordinary', number } } });
    await eventually(async () => expect((await linkOf(onClosedAccount)).status).toBe('revoked'));
    const before = await Promise.all([objected, reinstated, pending, onClosedAccount].map(eventsOf));

    // Both rules start again from the start of the log (a rebuild, or a checkpoint lost), woken by new triggers.
    const sql = service.app.get<SqlClient>(SQL_CLIENT);
    await sql.query('UPDATE es_projection_checkpoints SET checkpoint = NULL WHERE projection = ANY($1)', [
      [CUSTOMER_OBJECTED_RULE, ACCOUNT_CLOSED_RULE],
    ]);
    const nextDevice = `device-${randomUUID()}`;
    const nextObjected = await anActiveLink({ device: nextDevice });
    const nextSibling = await anActiveLink({ device: nextDevice });
    const nextNumber = randomAccountNumber();
    const nextOnClosedAccount = await anActiveLink({ number: nextNumber });
    await accepted({ type: 'customer.objected', data: { linkId: nextObjected, at: new Date().toISOString() } });
    await accepted({
      type: 'account.closed',
      data: { bankAccount: { branchCode: '001', type: 'ordinary', number: nextNumber } },
    });
    await eventually(async () => {
      expect((await linkOf(nextSibling)).status).toBe('suspended');
      expect((await linkOf(nextOnClosedAccount)).status).toBe('revoked');
      const rows = await sql.query<{ checkpoint: string | null }>(
        'SELECT checkpoint FROM es_projection_checkpoints WHERE projection = ANY($1)',
        [[CUSTOMER_OBJECTED_RULE, ACCOUNT_CLOSED_RULE]],
      );
      // Replayed from the start (after the compare-and-set found the checkpoint gone) and caught up again.
      expect(rows.map((row) => row.checkpoint)).toEqual([expect.any(String), expect.any(String)]);
      // The whole log of this file's earlier tests, replayed while the rest of the suite runs beside it.
    }, 45_000);

    expect(await Promise.all([objected, reinstated, pending, onClosedAccount].map(eventsOf))).toEqual(before);
    expect((await linkOf(reinstated)).status).toBe('active');
    expect((await eventsOf(nextSibling)).filter((event) => event.type === 'LinkSuspended')).toHaveLength(1);
  }, 90_000);

  describe('bad input: 400 problem+json, and nothing stored', () => {
    const storeCounts = async () => ({
      events: await service.countRows('es_events'),
      webhookReceipts: await service.countRows('webhook_receipts'),
    });
    const expectRefusedWithoutEffect = async (body: unknown, status: number, code: string, fields: string[] = []) => {
      const before = await storeCounts();
      const response: InjectResponse = await service.sendBankEvent(body);
      expect({ status: response.statusCode, code: response.json().code }).toEqual({ status, code });
      expect(response.headers['content-type']).toContain('application/problem+json');
      if (fields.length > 0) {
        const errors = response.json().errors as { field: string }[];
        expect(errors.map((error) => error.field)).toEqual(expect.arrayContaining(fields));
      }
      expect(await storeCounts()).toEqual(before);
    };
    const account = (overrides: Record<string, unknown> = {}) => ({
      branchCode: '001',
      type: 'ordinary',
      number: randomAccountNumber(),
      ...overrides,
    });

    it.each<[string, () => unknown, string, string[]]>([
      [
        'an unknown webhook type',
        () => ({ type: 'account.reopened', data: { bankAccount: account() } }),
        'unknown_event_type',
        [],
      ],
      [
        'account.closed without an account',
        () => ({ type: 'account.closed', data: {} }),
        'validation_failed',
        ['data.bankAccount'],
      ],
      [
        'account.closed with a six-digit number',
        () => ({ type: 'account.closed', data: { bankAccount: account({ number: '123456' }) } }),
        'validation_failed',
        ['data.bankAccount.number'],
      ],
      [
        'account.closed without a branch',
        () => ({ type: 'account.closed', data: { bankAccount: account({ branchCode: undefined }) } }),
        'validation_failed',
        ['data.bankAccount.branchCode'],
      ],
      [
        'account.closed with an unknown account type',
        () => ({ type: 'account.closed', data: { bankAccount: account({ type: 'checking' }) } }),
        'validation_failed',
        ['data.bankAccount.type'],
      ],
      [
        'account.closed naming a bank code (the path names it)',
        () => ({ type: 'account.closed', data: { bankAccount: account({ bankCode: '0001' }) } }),
        'validation_failed',
        ['data.bankAccount.bankCode'],
      ],
      [
        'account.closed with a linkId',
        () => ({ type: 'account.closed', data: { linkId: 'lnk_abc', bankAccount: account() } }),
        'validation_failed',
        ['data.linkId'],
      ],
      [
        'account.closed with an array as account',
        () => ({ type: 'account.closed', data: { bankAccount: [account()] } }),
        'validation_failed',
        ['data.bankAccount'],
      ],
      [
        'fraud.reported without a reason',
        () => ({ type: 'fraud.reported', data: { linkId: 'lnk_abc' } }),
        'validation_failed',
        ['data.reason'],
      ],
      [
        'fraud.reported without a link',
        () => ({ type: 'fraud.reported', data: { reason: 'x' } }),
        'validation_failed',
        ['data.linkId'],
      ],
      [
        'fraud.reported with an empty reason',
        () => ({ type: 'fraud.reported', data: { linkId: 'lnk_abc', reason: '' } }),
        'validation_failed',
        ['data.reason'],
      ],
    ])('refuses %s', async (_, body, code, fields) => {
      await expectRefusedWithoutEffect(body(), 400, code, fields);
    });

    it('answers a fraud report on a link that does not exist with 404 link_not_found, storing nothing', async () => {
      await expectRefusedWithoutEffect(
        { type: 'fraud.reported', data: { linkId: `lnk_${randomUUID().replaceAll('-', '')}`, reason: 'x' } },
        404,
        'link_not_found',
      );
    });

    it('acknowledges a repeated account.closed webhook-id with 204 and records it once', async () => {
      const id = `msg_${randomUUID()}`;
      const body = { type: 'account.closed', data: { bankAccount: account() } };
      expect((await service.sendBankEvent(body, { id })).statusCode).toBe(204);
      const before = await storeCounts();
      expect((await service.sendBankEvent(body, { id })).statusCode).toBe(204);
      expect(await storeCounts()).toEqual(before);
    });
  });
});

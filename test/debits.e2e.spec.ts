import { randomUUID } from 'node:crypto';
import { ActorDefences } from '@lib/account-linking/application/actor-defences/actor-defences';
import { DebitAuthorisation } from '@lib/account-linking/application/debits/debit-authorisation';
import { ACTOR_KEYS } from '@lib/account-linking/application/ports/actor-keys.port';
import { WrittenCheckpoints } from '@lib/account-linking/application/queries/freshness/written-checkpoints';
import { EVENT_STORE } from '@lib/event-store/event-store.port';
import { KeyedHash } from '@lib/platform/crypto/keyed-hash';
import { CLOCK } from '@lib/account-linking/application/ports/clock.port';
import { TestClock } from '@lib/account-linking/infrastructure/testing/process-harness';
import { SQL_CLIENT, type SqlClient } from '@lib/platform/sql/sql-client';
import { clientToken } from './support/client-tokens';
import { eventually } from './support/eventually';
import { aLinkRequest } from './support/link-request';
import { STORES, type ServiceUnderTest, startService } from './support/service-under-test';

const SANDBOX_POLICY = {
  customerNotifiedBy: 'service',
  coolingOffMinutes: 0,
  customerConfirmationRequired: false,
  phishingResistantFactorRequired: false,
};

/**
 * API.md "Debits: using an active link", over HTTP with the whole service and its worker: authorisations and
 * their refusals (recorded), the bank's lookup and reports, expiry by the durable timer (a test clock), limits
 * under concurrency.
 */
describe.each(STORES)('debits over HTTP, on %s', (store) => {
  const clock = new TestClock(new Date());
  let service: ServiceUnderTest;
  let app: string;
  let operator: string;
  let bank: string;

  beforeAll(async () => {
    service = await startService(store, {
      processes: 'running',
      override: (builder) => builder.overrideProvider(CLOCK).useValue(clock),
    });
    app = await service.token();
    operator = await service.token('sandbox-operator');
    bank = await clientToken(service, 'bank-9900', 'bank');
  });
  afterAll(async () => {
    await service?.close();
  });

  const call = (
    method: 'GET' | 'POST' | 'PUT',
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

  const anActiveLink = async (): Promise<{ id: string; device: string }> => {
    const device = `device-${randomUUID()}`;
    const created = await call('POST', '/v1/links', { payload: aLinkRequest({ device }) });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    await call('POST', '/v1/sandbox/banks/9900/authentications', { payload: { linkId: id, scenario: 'success' } });
    await eventually(async () => expect((await call('GET', `/v1/links/${id}`)).json().status).toBe('active'));
    return { id, device };
  };
  const debit = (linkId: string, body: object, headers: Record<string, string> = {}) =>
    call('POST', `/v1/links/${linkId}/debits`, { payload: body, headers });
  const aDebit = (device: string, amount = 5000) => ({
    amount,
    currency: 'JPY',
    reference: `charge-${randomUUID()}`,
    device: { id: device, ipAddress: '203.0.113.7' },
  });
  const bankLookup = (debitId: string, bearer = bank) => call('GET', `/v1/banks/9900/debits/${debitId}`, { bearer });
  const debitStreamTypes = (debitId: string) => service.eventTypesOf(`debit-${debitId}`);
  /** What the sandbox app's request carries to `DebitAuthorisation`, for the specs that call it directly. */
  const asTheApp = () => ({
    actor: { type: 'payment_app' as const, id: 'sandbox-app' },
    correlationId: randomUUID(),
    causationId: randomUUID(),
    occurredAt: clock.now().toISOString(),
  });

  it('authorises a debit from the bound device, for 10 minutes, and the bank finds it', async () => {
    const { id, device } = await anActiveLink();
    const view = (await call('GET', `/v1/links/${id}`)).json();
    expect(view).toMatchObject({ boundDeviceId: device, limits: { perDebit: null, daily: null, monthly: null } });

    const body = aDebit(device);
    const authorised = await debit(id, body);
    expect(authorised.statusCode).toBe(201);
    const debitView = authorised.json();
    expect(debitView).toEqual({
      id: expect.stringMatching(/^dbt_/),
      linkId: id,
      status: 'authorised',
      amount: 5000,
      currency: 'JPY',
      reference: body.reference,
      deviceId: device,
      authorisedAt: clock.now().toISOString(),
      expiresAt: new Date(clock.now().getTime() + 10 * 60_000).toISOString(),
    });
    expect(await debitStreamTypes(debitView.id)).toEqual(['DebitAuthorised']);
    expect(await service.eventTypesOf(`spending-${id}`)).toEqual(['DebitAmountReserved']);

    const looked = await bankLookup(debitView.id);
    expect(looked.statusCode).toBe(200);
    expect(looked.json()).toEqual({ ...debitView, link: { id, status: 'active' } });

    await eventually(async () => {
      const page = (await call('GET', `/v1/links/${id}/debits`)).json();
      expect(page).toEqual({ items: [debitView], nextCursor: null });
    });
  });

  it('refuses a debit from another device (R9) and records the refusal', async () => {
    const { id } = await anActiveLink();
    const refused = await debit(id, aDebit('someone-elses-phone'));
    expect(refused.statusCode).toBe(422);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    const problem = refused.json();
    expect(problem).toMatchObject({ status: 422, code: 'device_not_bound', debitId: expect.stringMatching(/^dbt_/) });
    expect(await debitStreamTypes(problem.debitId)).toEqual(['DebitRefused']);
    // A refusal counts towards nothing.
    expect(await service.eventTypesOf(`spending-${id}`)).toEqual([]);
    const looked = (await bankLookup(problem.debitId)).json();
    expect(looked).toMatchObject({ status: 'refused', reason: 'device_not_bound' });
  });

  it('refuses debits of a link that is not active', async () => {
    const { id, device } = await anActiveLink();
    const revoked = await call('POST', `/v1/links/${id}/revocation`, { payload: { reason: 'customer left' } });
    expect(revoked.statusCode).toBe(200);
    const refused = await debit(id, aDebit(device));
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ code: 'link_not_active', detail: 'The link is revoked' });
  });

  it('refuses debits of a link still awaiting its bank', async () => {
    const device = `device-${randomUUID()}`;
    const created = await call('POST', '/v1/links', { payload: aLinkRequest({ device }) });
    const refused = await debit(created.json().id, aDebit(device));
    expect(refused.json()).toMatchObject({ status: 422, code: 'link_not_active' });
  });

  it('refuses debits from a blocked device (actor defences)', async () => {
    const { id, device } = await anActiveLink();
    // Three failing accounts from the same device block it (the deployment's default threshold).
    for (let i = 0; i < 3; i++) {
      const attempt = await call('POST', '/v1/links', { payload: aLinkRequest({ device }) });
      if (attempt.statusCode !== 201) break;
      await service.sendBankEvent({
        type: 'authentication.failed',
        data: { linkId: attempt.json().id, reason: 'PIN' },
      });
    }
    const refused = await debit(id, aDebit(device));
    expect(refused.statusCode).toBe(422);
    expect(refused.json().code).toBe('actor_blocked');
  });

  it('answers a retry with the same Idempotency-Key with the same debit, counted once', async () => {
    const { id, device } = await anActiveLink();
    const body = aDebit(device, 1200);
    const key = `key-${randomUUID()}`;
    const first = await debit(id, body, { 'idempotency-key': key });
    const second = await debit(id, body, { 'idempotency-key': key });
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.json()).toEqual(first.json());
    expect(await service.eventTypesOf(`spending-${id}`)).toEqual(['DebitAmountReserved']);
    const reused = await debit(id, { ...body, amount: 1300 }, { 'idempotency-key': key });
    expect(reused.statusCode).toBe(422);
    expect(await service.eventTypesOf(`spending-${id}`)).toEqual(['DebitAmountReserved']);
  });

  it('records a debit once for one Idempotency-Key though the HTTP record of the first answer is lost (a crash)', async () => {
    // Behind the HTTP idempotency record: the authorisation finds the debit its key names, after it and beside it.
    const { id, device } = await anActiveLink();
    const authorisation = service.app.get(DebitAuthorisation);
    const input = {
      paymentAppId: 'sandbox-app',
      linkId: id,
      amount: 1400,
      currency: 'JPY' as const,
      reference: `charge-${randomUUID()}`,
      deviceId: device,
      idempotencyKey: `key-${randomUUID()}`,
    };
    const metadata = asTheApp();
    const first = await authorisation.authorise(input, metadata);
    expect(first.debit).toMatchObject({ status: 'authorised', amount: 1400 });
    expect(await authorisation.authorise(input, metadata)).toEqual(first);
    const concurrent = { ...input, idempotencyKey: `key-${randomUUID()}` };
    const [one, other] = await Promise.all([
      authorisation.authorise(concurrent, metadata),
      authorisation.authorise(concurrent, metadata),
    ]);
    expect(other).toEqual(one);
    expect(one.debit.id).not.toBe(first.debit.id);
    expect(await service.eventTypesOf(`spending-${id}`)).toEqual(['DebitAmountReserved', 'DebitAmountReserved']);
    expect(await debitStreamTypes(one.debit.id)).toEqual(['DebitAuthorised']);
    // What the authorisation answered without reading the debit back is what the bank reads of it.
    const looked = await bankLookup(first.debit.id);
    expect(looked.statusCode).toBe(200);
    expect(looked.json()).toMatchObject({ id: first.debit.id, status: 'authorised', amount: 1400 });
  });

  it('takes the bank’s reports: settled stays counted, failed is released; a late report is refused (409)', async () => {
    const { id, device } = await anActiveLink();
    const settledDebit = (await debit(id, aDebit(device, 3000))).json();
    const failedDebit = (await debit(id, aDebit(device, 4000))).json();

    const settledAt = clock.now().toISOString();
    expect(
      (await service.sendBankEvent({ type: 'debit.settled', data: { debitId: settledDebit.id, settledAt } }))
        .statusCode,
    ).toBe(204);
    expect(
      (
        await service.sendBankEvent({
          type: 'debit.failed',
          data: { debitId: failedDebit.id, reason: 'insufficient_funds' },
        })
      ).statusCode,
    ).toBe(204);
    expect((await bankLookup(settledDebit.id)).json()).toMatchObject({ status: 'settled', settledAt });
    expect((await bankLookup(failedDebit.id)).json()).toMatchObject({ status: 'failed', reason: 'insufficient_funds' });

    // The failed authorisation stops counting: the worker releases it from the link's totals.
    await eventually(async () =>
      expect(await service.eventTypesOf(`spending-${id}`)).toEqual([
        'DebitAmountReserved',
        'DebitAmountReserved',
        'DebitAmountReleased',
      ]),
    );
    const late = await service.sendBankEvent({
      type: 'debit.failed',
      data: { debitId: settledDebit.id, reason: 'late' },
    });
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('debit_not_authorised');
    expect(await debitStreamTypes(settledDebit.id)).toEqual(['DebitAuthorised', 'DebitSettled']);
  });

  it('keeps each bank to its own debits, and 404s an unknown one', async () => {
    const { id, device } = await anActiveLink();
    const authorised = (await debit(id, aDebit(device))).json();
    const other = await clientToken(service, 'bank-0005', 'bank');
    expect((await call('GET', `/v1/banks/0005/debits/${authorised.id}`, { bearer: other })).json().code).toBe(
      'debit_not_found',
    );
    // A bank client cannot ask under another bank's code.
    expect((await bankLookup(authorised.id, other)).statusCode).toBe(403);
    expect((await bankLookup('dbt_nope')).json()).toMatchObject({ status: 404, code: 'debit_not_found' });
    expect((await bankLookup('not-an-id')).statusCode).toBe(404);
    const unknownReport = await service.sendBankEvent({
      type: 'debit.settled',
      data: { debitId: 'dbt_unknown', settledAt: clock.now().toISOString() },
    });
    expect(unknownReport.statusCode).toBe(404);
  });

  it('refuses bad input with problem+json and records nothing', async () => {
    const { id, device } = await anActiveLink();
    const before = await service.countRows('es_events');
    const bad: [string, object][] = [
      ['negative', { ...aDebit(device), amount: -1 }],
      ['zero', { ...aDebit(device), amount: 0 }],
      ['fractional', { ...aDebit(device), amount: 10.5 }],
      ['huge', { ...aDebit(device), amount: 1e16 }],
      ['a string', { ...aDebit(device), amount: '5000' }],
      ['another currency', { ...aDebit(device), currency: 'USD' }],
      ['no device', { amount: 5000, currency: 'JPY', reference: 'x' }],
      ['no reference', { amount: 5000, currency: 'JPY', device: { id: device } }],
      ['a bad address', { ...aDebit(device), device: { id: device, ipAddress: 'nowhere' } }],
    ];
    for (const [what, body] of bad) {
      const response = await debit(id, body);
      expect({ what, status: response.statusCode, code: response.json().code }).toEqual({
        what,
        status: 400,
        code: 'validation_failed',
      });
    }
    expect((await debit('lnk_unknown', aDebit(device))).json()).toMatchObject({ status: 404, code: 'link_not_found' });
    expect((await debit('nonsense', aDebit(device))).statusCode).toBe(404);
    const otherApp = await service.paymentAppToken(`other-app-${randomUUID()}`);
    const foreign = await call('POST', `/v1/links/${id}/debits`, { bearer: otherApp, payload: aDebit(device) });
    expect(foreign.json()).toMatchObject({ status: 404, code: 'link_not_found' });
    expect((await call('GET', `/v1/links/${id}/debits`, { bearer: otherApp })).statusCode).toBe(404);
    const badReport = await service.sendBankEvent({
      type: 'debit.settled',
      data: { debitId: 'dbt_x', settledAt: 'soon' },
    });
    expect(badReport.statusCode).toBe(400);
    expect(await service.countRows('es_events')).toBe(before);
  });

  it('expires an authorisation the bank never reported, and it stops counting', async () => {
    const { id, device } = await anActiveLink();
    const authorised = (await debit(id, aDebit(device, 2500))).json();
    clock.advanceMinutes(11);
    await eventually(async () => expect((await bankLookup(authorised.id)).json().status).toBe('expired'));
    await eventually(async () =>
      expect(await service.eventTypesOf(`spending-${id}`)).toEqual(['DebitAmountReserved', 'DebitAmountReleased']),
    );
    const late = await service.sendBankEvent(
      { type: 'debit.settled', data: { debitId: authorised.id, settledAt: clock.now().toISOString() } },
      { timestamp: clock.now() },
    );
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('debit_not_authorised');
  });

  it('applies a bank policy’s initial limits in a new link’s first days, and never authorises past a daily limit', async () => {
    const policy = { ...SANDBOX_POLICY, initialLimits: { perDebit: 10_000, daily: 20_000, days: 7 } };
    const put = await call('PUT', '/v1/admin/banks/9900', {
      bearer: operator,
      payload: { name: 'Sandbox Bank', policy },
    });
    expect(put.statusCode).toBe(200);
    expect(put.json().policy.initialLimits).toEqual({ perDebit: 10_000, daily: 20_000, days: 7 });
    try {
      const { id, device } = await anActiveLink();
      const view = (await call('GET', `/v1/links/${id}`)).json();
      expect(view.limits).toMatchObject({
        perDebit: null,
        initialLimits: { perDebit: 10_000, daily: 20_000 },
        initialPeriodUntil: expect.any(String),
      });
      const tooBig = await debit(id, aDebit(device, 10_001));
      expect(tooBig.json()).toMatchObject({ code: 'limit_exceeded', limit: 'per_debit', remaining: 10_000 });

      // Twenty concurrent debits of 3,000 yen against 20,000 a day: six authorised, never more.
      const answers = await Promise.all(Array.from({ length: 20 }, () => debit(id, aDebit(device, 3000))));
      const statuses = answers.map((answer) => answer.statusCode);
      expect(statuses.filter((status) => status === 201)).toHaveLength(6);
      expect(statuses.filter((status) => status === 422)).toHaveLength(14);
      for (const answer of answers.filter((a) => a.statusCode === 422)) {
        expect(answer.json()).toMatchObject({ code: 'limit_exceeded', limit: 'daily', remaining: 2000 });
      }
      const reserved = (await service.eventTypesOf(`spending-${id}`)).filter((type) => type === 'DebitAmountReserved');
      expect(reserved).toHaveLength(6);

      // Two processes, each keeping a link's spending stream as it last wrote it: the first one's falls behind the
      // second one's debits, and its next decision, refused by the revision, is made again on a fresh read.
      const first = service.app.get(DebitAuthorisation);
      const second = new DebitAuthorisation(
        service.app.get(EVENT_STORE),
        service.app.get(ACTOR_KEYS),
        clock,
        service.app.get(KeyedHash),
        service.app.get(ActorDefences),
        service.app.get(WrittenCheckpoints),
      );
      const metadata = asTheApp();
      const authorise = (by: DebitAuthorisation, link: { id: string; device: string }) =>
        by.authorise(
          {
            paymentAppId: 'sandbox-app',
            linkId: link.id,
            amount: 3000,
            currency: 'JPY',
            reference: `charge-${randomUUID()}`,
            deviceId: link.device,
          },
          metadata,
        );
      const shared = await anActiveLink();
      expect((await authorise(first, shared)).debit.status).toBe('authorised');
      for (let i = 0; i < 5; i++) expect((await authorise(second, shared)).debit.status).toBe('authorised');
      expect((await authorise(first, shared)).refusal).toMatchObject({ code: 'limit_exceeded', limit: 'daily' });
      // And both at once, on another link: six authorised of ten, never more.
      const both = await anActiveLink();
      const outcomes = await Promise.all(
        Array.from({ length: 10 }, (_, i) => authorise(i % 2 === 0 ? first : second, both)),
      );
      expect(outcomes.filter((outcome) => outcome.debit.status === 'authorised')).toHaveLength(6);
      for (const link of [shared, both]) {
        const types = await service.eventTypesOf(`spending-${link.id}`);
        expect(types.filter((type) => type === 'DebitAmountReserved')).toHaveLength(6);
      }
    } finally {
      await call('PUT', '/v1/admin/banks/9900', {
        bearer: operator,
        payload: { name: 'Sandbox Bank', policy: SANDBOX_POLICY },
      });
    }
  });
  it('expires an active link unused for LINK_DORMANCY_DAYS (reason dormant); each authorised debit postpones it', async () => {
    const { id, device } = await anActiveLink();
    const day = 24 * 60;
    clock.advanceMinutes(300 * day);
    expect((await debit(id, aDebit(device, 100))).statusCode).toBe(201);
    // 395 days after activation: the timer fires, finds the debit of day 300, and waits for day 695.
    clock.advanceMinutes(100 * day);
    await eventually(async () => {
      const [timer] = await service.app
        .get<SqlClient>(SQL_CLIENT)
        .query<{ claims: number }>("SELECT claims FROM link_timers WHERE link_id = $1 AND kind = 'dormant'", [id]);
      expect(timer?.claims).toBeGreaterThan(0);
    });
    expect((await call('GET', `/v1/links/${id}`)).json().status).toBe('active');
    clock.advanceMinutes(296 * day);
    await eventually(async () => {
      const view = (await call('GET', `/v1/links/${id}`)).json();
      expect(view).toMatchObject({ status: 'expired', reason: 'dormant' });
    });
    const refused = await debit(id, aDebit(device));
    expect(refused.json()).toMatchObject({ code: 'link_not_active', detail: 'The link is expired' });
  });
});

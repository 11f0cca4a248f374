import { randomUUID } from 'node:crypto';
import type { Response as InjectResponse } from 'light-my-request';
import { EVENT_STORE, type EventStore } from '@lib/event-store/event-store.port';
import type { LinkEvent } from '@lib/account-linking/domain/link/link-events';
import { initialLinkState, type LinkState } from '@lib/account-linking/domain/link/link-state';
import { evolve } from '@lib/account-linking/domain/link/link.evolve';
import { clientToken } from './support/client-tokens';
import { STORES, type ServiceUnderTest, startService } from './support/service-under-test';
import { aLinkRequest } from './support/link-request';

const SANDBOX_BANK = '9900';
const OTHER_BANK = '0001';
const CHECKPOINT = /^\d{20}:\d{20}$/;

const randomNumber = () => String(Math.floor(1_000_000 + Math.random() * 8_999_999));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(STORES)('reading links from the read models, on %s', (store) => {
  let service: ServiceUnderTest;
  let app: string;
  let otherApp: string;
  let investigator: string;
  let operator: string;
  let sandboxBank: string;
  let otherBank: string;
  const otherAppId = `other-app-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    service = await startService(store);
    await service.registerBank(OTHER_BANK, {
      coolingOffMinutes: 0,
      customerConfirmationRequired: false,
      phishingResistantFactorRequired: false,
      customerNotifiedBy: 'service',
    });
    app = await service.token();
    otherApp = await service.paymentAppToken(otherAppId);
    investigator = await service.token('sandbox-investigator');
    operator = await service.token('sandbox-operator');
    sandboxBank = await clientToken(service, `bank-${SANDBOX_BANK}`, 'bank');
    otherBank = await clientToken(service, `bank-${OTHER_BANK}`, 'bank');
  });
  afterAll(async () => {
    await service?.close();
  });

  const get = (url: string, bearer: string, headers: Record<string, string> = {}) =>
    service.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${bearer}`, ...headers } });
  const post = (url: string, payload: object, bearer = app) =>
    service.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${bearer}` }, payload });
  const requestLink = async (options: Parameters<typeof aLinkRequest>[0] = {}, bearer = app) => {
    const created = await post('/v1/links', aLinkRequest({ bankCode: SANDBOX_BANK, ...options }), bearer);
    expect(created.statusCode).toBe(201);
    return created.json() as { id: string; status: string; createdAt: string };
  };
  /** `caseId: null` sends no X-Investigation-Case. */
  const investigate = (url: string, caseId: string | null = `CASE-${randomUUID().slice(0, 8)}`) =>
    get(url, investigator, caseId === null ? {} : { 'x-investigation-case': caseId });
  const auditEvents = () => service.app.get<EventStore>(EVENT_STORE).readStream('audit-investigations');
  const expectProblem = (response: InjectResponse, status: number, code: string) => {
    expect({ status: response.statusCode, code: response.json().code }).toEqual({ status, code });
    expect(response.headers['content-type']).toContain('application/problem+json');
  };

  describe('payment apps', () => {
    it('list their links by customer reference and status, newest first, page by page', async () => {
      const reference = `cust-${randomUUID()}`;
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await requestLink({ reference })).id);
      await requestLink({ reference: `cust-${randomUUID()}` });
      const revoked = await post(`/v1/links/${ids[1]}/revocation`, { reason: 'user asked' });
      expect(revoked.statusCode).toBe(200);

      const all = await get(`/v1/links?customerReference=${reference}`, app);
      expect(all.statusCode).toBe(200);
      expect(all.headers['x-checkpoint']).toMatch(CHECKPOINT);
      const items = all.json().items as { id: string; createdAt: string; customer: { reference: string } }[];
      expect(items.map((item) => item.id).sort()).toEqual([...ids].sort());
      expect(items.every((item) => item.customer.reference === reference)).toBe(true);
      const created = items.map((item) => item.createdAt);
      expect(created).toEqual([...created].sort().reverse());
      expect(all.json().nextCursor).toBeNull();

      const onlyRevoked = await get(`/v1/links?customerReference=${reference}&status=revoked`, app);
      expect(onlyRevoked.json().items).toEqual([expect.objectContaining({ id: ids[1], status: 'revoked' })]);

      const paged: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: InjectResponse = await get(
          `/v1/links?customerReference=${reference}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
          app,
        );
        expect(page.statusCode).toBe(200);
        expect(page.json().items.length).toBeLessThanOrEqual(2);
        paged.push(...page.json().items.map((item: { id: string }) => item.id));
        cursor = page.json().nextCursor;
        pages += 1;
      } while (cursor);
      expect(pages).toBe(3);
      expect(paged).toEqual(items.map((item) => item.id));
    });

    it.each([
      ['a limit of 0', 'limit=0'],
      ['a limit over 100', 'limit=101'],
      ['a limit that is not a number', 'limit=ten'],
      ['a fractional limit', 'limit=1.5'],
      ['an unknown status', 'status=linked'],
      ['an empty customer reference', 'customerReference='],
      ['a repeated parameter', 'status=active&status=revoked'],
      ['an unknown parameter', 'sort=asc'],
      ['a cursor with characters no cursor has', 'cursor=%24%24%24'],
      ['a cursor this service did not hand out', 'cursor=bm90LWEtY3Vyc29y'],
    ])('refuse %s with 400 validation_failed', async (_, query) => {
      expectProblem(await get(`/v1/links?${query}`, app), 400, 'validation_failed');
    });

    it('refuse an X-Min-Checkpoint that is not a checkpoint with 400 validation_failed', async () => {
      expectProblem(await get('/v1/links', app, { 'x-min-checkpoint': 'latest' }), 400, 'validation_failed');
    });

    it('read their own writes at once: right after the POST, and right after the bank’s webhook', async () => {
      const created = await post('/v1/links', aLinkRequest({ bankCode: SANDBOX_BANK }));
      const link = created.json();
      expect(created.headers['x-checkpoint']).toMatch(CHECKPOINT);
      const read = await get(`/v1/links/${link.id}`, app);
      expect(read.statusCode).toBe(200);
      // A read adds the actors' signals to the view the POST answered (test/actor-defences.e2e.spec.ts).
      expect(read.json()).toEqual({ ...link, signals: expect.any(Object) });
      expect((read.headers['x-checkpoint'] as string) >= (created.headers['x-checkpoint'] as string)).toBe(true);
      const listed = await get(`/v1/links?customerReference=${link.customer.reference}`, app);
      expect(listed.json().items).toEqual([{ ...link, signals: expect.any(Object) }]);

      const failed = await service.sendBankEvent({
        type: 'authentication.failed',
        data: { linkId: link.id, reason: 'wrong password' },
      });
      expect(failed.statusCode).toBe(204);
      expect((await get(`/v1/links/${link.id}`, app)).json()).toMatchObject({
        status: 'rejected',
        reason: 'bank_authentication_failed',
      });
    });

    it('answer from a read model at least as far as X-Min-Checkpoint', async () => {
      const created = await post('/v1/links', aLinkRequest({ bankCode: SANDBOX_BANK }));
      const checkpoint = created.headers['x-checkpoint'] as string;
      const read = await get(`/v1/links/${created.json().id}`, app, { 'x-min-checkpoint': checkpoint });
      expect(read.statusCode).toBe(200);
      expect((read.headers['x-checkpoint'] as string) >= checkpoint).toBe(true);
    });

    it('cannot list or read another app’s links', async () => {
      const reference = `shared-${randomUUID()}`;
      const mine = await requestLink({ reference });
      const theirs = await requestLink({ reference }, otherApp);

      expectProblem(await get(`/v1/links/${mine.id}`, otherApp), 404, 'link_not_found');
      expectProblem(await get(`/v1/links/${theirs.id}`, app), 404, 'link_not_found');
      expect((await get(`/v1/links?customerReference=${reference}`, otherApp)).json().items).toEqual([
        expect.objectContaining({ id: theirs.id }),
      ]);
      expect((await get(`/v1/links?customerReference=${reference}`, app)).json().items).toEqual([
        expect.objectContaining({ id: mine.id }),
      ]);
      const everything = await get('/v1/links?limit=100', otherApp);
      expect(everything.json().items.map((item: { id: string }) => item.id)).not.toContain(mine.id);
    });
  });

  describe('banks', () => {
    it('list their links by status, count them, and find every link to one of their accounts', async () => {
      const number = randomNumber();
      const mine = await requestLink({ number });
      const theirs = await requestLink({ number }, otherApp);
      await post(`/v1/links/${mine.id}/revocation`, { reason: 'user asked' });

      const onAccount = await get(
        `/v1/banks/${SANDBOX_BANK}/accounts/links?branchCode=001&type=ordinary&number=${number}`,
        sandboxBank,
      );
      expect(onAccount.statusCode).toBe(200);
      expect(onAccount.headers['x-checkpoint']).toMatch(CHECKPOINT);
      const items = onAccount.json().items as Record<string, unknown>[];
      expect(items.map((item) => item.id).sort()).toEqual([mine.id, theirs.id].sort());
      expect(items).toContainEqual(
        expect.objectContaining({ id: mine.id, status: 'revoked', paymentApp: { id: 'sandbox-app' } }),
      );
      expect(items).toContainEqual(expect.objectContaining({ id: theirs.id, paymentApp: { id: otherAppId } }));
      // Support sees the account and the app, not the app's own customer reference or device.
      expect(items.every((item) => item.customer === undefined && item.device === undefined)).toBe(true);
      // …and the signals of the device and the customer behind each link, for its own judgement.
      const signal = { accountsTried24h: expect.any(Number), accountsTried30d: expect.any(Number), everBlocked: false };
      expect(
        items.every((item) =>
          expect.objectContaining({ signals: { device: signal, customer: signal } }).asymmetricMatch(item),
        ),
      ).toBe(true);
      expect(onAccount.body).not.toContain(number);

      const revoked = await get(`/v1/banks/${SANDBOX_BANK}/links?status=revoked&limit=100`, sandboxBank);
      expect(revoked.statusCode).toBe(200);
      const revokedItems = revoked.json().items as { id: string; status: string; bankAccount: { bankCode: string } }[];
      expect(revokedItems.map((item) => item.id)).toContain(mine.id);
      expect(
        revokedItems.every((item) => item.status === 'revoked' && item.bankAccount.bankCode === SANDBOX_BANK),
      ).toBe(true);

      const counts = await get(`/v1/banks/${SANDBOX_BANK}/links/counts`, sandboxBank);
      expect(counts.json()).toMatchObject({
        bankCode: SANDBOX_BANK,
        counts: { revoked: expect.any(Number), awaiting_bank_authentication: expect.any(Number) },
      });
    });

    it('never read another bank’s links', async () => {
      const number = randomNumber();
      const atOtherBank = await requestLink({ number, bankCode: OTHER_BANK });
      const atSandboxBank = await requestLink({ number });

      for (const url of [
        `/v1/banks/${SANDBOX_BANK}/links`,
        `/v1/banks/${SANDBOX_BANK}/links/counts`,
        `/v1/banks/${SANDBOX_BANK}/accounts/links?branchCode=001&type=ordinary&number=${number}`,
      ]) {
        expectProblem(await get(url, otherBank), 403, 'forbidden');
        expectProblem(await get(url, app), 403, 'forbidden');
      }
      const own = await get(`/v1/banks/${OTHER_BANK}/links?limit=100`, otherBank);
      expect(own.statusCode).toBe(200);
      const ownIds = own.json().items.map((item: { id: string }) => item.id);
      expect(ownIds).toContain(atOtherBank.id);
      expect(ownIds).not.toContain(atSandboxBank.id);
      const sameNumber = await get(
        `/v1/banks/${OTHER_BANK}/accounts/links?branchCode=001&type=ordinary&number=${number}`,
        otherBank,
      );
      expect(sameNumber.json().items.map((item: { id: string }) => item.id)).toEqual([atOtherBank.id]);
    });

    it('refuse bad query parameters with 400 validation_failed', async () => {
      for (const query of ['branchCode=1&type=ordinary&number=1234567', 'branchCode=001&type=ordinary', 'status=x']) {
        const url = query.startsWith('status')
          ? `/v1/banks/${SANDBOX_BANK}/links?${query}`
          : `/v1/banks/${SANDBOX_BANK}/accounts/links?${query}`;
        expectProblem(await get(url, sandboxBank), 400, 'validation_failed');
      }
    });
  });

  describe('investigators', () => {
    it('are refused without a case id (400), and other roles are refused (403), with nothing recorded', async () => {
      const link = await requestLink();
      const before = (await auditEvents()).length;
      for (const url of [
        `/v1/investigations/links/${link.id}/events`,
        `/v1/investigations/links/${link.id}/state?at=${new Date().toISOString()}`,
        `/v1/investigations/bank-accounts?bankCode=9900&branchCode=001&type=ordinary&number=1234567`,
      ]) {
        expectProblem(await investigate(url, null), 400, 'investigation_case_required');
        expectProblem(await get(url, app, { 'x-investigation-case': 'CASE-1' }), 403, 'forbidden');
        expectProblem(await get(url, operator, { 'x-investigation-case': 'CASE-1' }), 403, 'forbidden');
      }
      expect((await auditEvents()).length).toBe(before);
    });

    it('read every event of a link with all its metadata, in order; the read itself is recorded', async () => {
      const link = await requestLink();
      await service.sendBankEvent({ type: 'authentication.failed', data: { linkId: link.id, reason: 'wrong pin' } });
      const caseId = `CASE-${randomUUID().slice(0, 8)}`;
      const before = (await auditEvents()).length;

      const response = await investigate(`/v1/investigations/links/${link.id}/events`, caseId);
      expect(response.statusCode).toBe(200);
      const { events, bankAccountGuardEvents } = response.json();
      expect(events.map((event: { type: string }) => event.type)).toEqual(
        await service.eventTypesOf(`link-${link.id}`),
      );
      expect(events.map((event: { revision: number }) => event.revision)).toEqual([0, 1, 2]);
      for (const event of events) {
        expect(event).toMatchObject({
          id: expect.any(String),
          recordedAt: expect.any(String),
          checkpoint: expect.stringMatching(CHECKPOINT),
          metadata: {
            actor: { type: expect.any(String), id: expect.any(String) },
            correlationId: expect.any(String),
            causationId: expect.any(String),
            occurredAt: expect.any(String),
          },
        });
      }
      expect(events[0].metadata.actor).toEqual({ type: 'payment_app', id: 'sandbox-app' });
      expect(events[1].metadata.actor).toEqual({ type: 'bank', id: SANDBOX_BANK });
      expect(bankAccountGuardEvents.map((event: { type: string }) => event.type)).toEqual([
        'LinkAttemptRegistered',
        'AccountLinkingFailureRecorded',
        'LinkAttemptFinished',
      ]);

      const audit = await auditEvents();
      expect(audit).toHaveLength(before + 1);
      expect(audit.at(-1)).toMatchObject({
        type: 'InvestigationRecordRead',
        data: {
          investigatorId: 'sandbox-investigator',
          caseId,
          read: { record: 'link_events', linkId: link.id },
          at: expect.any(String),
        },
        metadata: { actor: { type: 'investigator', id: 'sandbox-investigator' }, investigationCase: caseId },
      });
    });

    it('see a link as it was at an instant, exactly as a replay of its stream up to then', async () => {
      const beforeLink = new Date(Date.now() - 1000);
      const link = await requestLink();
      await sleep(15);
      await service.sendBankEvent({
        type: 'authentication.succeeded',
        data: {
          linkId: link.id,
          methods: ['password', 'otp_sms'],
          holder: { name: { kanji: '山田 太郎', kana: 'ﾔﾏﾀﾞ ﾀﾛｳ' }, birthDate: '1990-01-02', phone: '09012345678' },
          contact: { email: 'taro@example.jp' },
          authenticatedAt: new Date().toISOString(),
        },
      });
      await sleep(15);
      expect((await post(`/v1/links/${link.id}/revocation`, { reason: 'user asked' })).statusCode).toBe(200);

      const recorded = await service.app.get<EventStore>(EVENT_STORE).readStream(`link-${link.id}`);
      expect(recorded.length).toBeGreaterThanOrEqual(4);
      const instants = [
        beforeLink,
        ...recorded.flatMap((event) => [event.recordedAt, new Date(event.recordedAt.getTime() + 5)]),
        new Date(),
      ];
      const caseId = `CASE-${randomUUID().slice(0, 8)}`;
      const before = (await auditEvents()).length;
      const statuses = new Set<string>();
      for (const at of instants) {
        const replayed = recorded.filter((event) => event.recordedAt.getTime() <= at.getTime());
        const expected = replayed.reduce<LinkState>(
          (state, event) => evolve(state, { type: event.type, data: event.data } as LinkEvent),
          initialLinkState(),
        );
        const response = await investigate(
          `/v1/investigations/links/${link.id}/state?at=${encodeURIComponent(at.toISOString())}`,
          caseId,
        );
        expect(response.statusCode).toBe(200);
        expect(response.json()).toMatchObject({
          linkId: link.id,
          at: at.toISOString(),
          revision: replayed.at(-1)?.revision ?? null,
          status: expected.status,
          state: expected,
        });
        statuses.add(expected.status);
      }
      expect([...statuses]).toEqual(expect.arrayContaining(['none', 'awaiting_bank_authentication', 'revoked']));
      expect((await auditEvents()).length).toBe(before + instants.length);
      expect((await auditEvents()).at(-1)?.data).toMatchObject({ read: { record: 'link_state', linkId: link.id } });
    });

    it.each([
      ['without at', ''],
      ['with an at that is no time', '?at=yesterday'],
      ['with an at without a zone', '?at=2026-11-20T10:00:00'],
      ['with an impossible date', '?at=2026-02-30T10:00:00Z'],
    ])('refuse a state read %s with 400 validation_failed', async (_, query) => {
      const link = await requestLink();
      expectProblem(await investigate(`/v1/investigations/links/${link.id}/state${query}`), 400, 'validation_failed');
    });

    it('get 404 for a link that never existed', async () => {
      const unknown = `lnk_${randomUUID().replaceAll('-', '')}`;
      expectProblem(await investigate(`/v1/investigations/links/${unknown}/events`), 404, 'link_not_found');
      expectProblem(
        await investigate(`/v1/investigations/links/${unknown}/state?at=${new Date().toISOString()}`),
        404,
        'link_not_found',
      );
    });

    it('see every link and attempt ever made on a bank account, with outcomes, refusals included', async () => {
      const number = randomNumber();
      const open = await requestLink({ number });
      const refused = await post('/v1/links', aLinkRequest({ bankCode: SANDBOX_BANK, number }));
      expect(refused.json().code).toBe('link_already_in_progress');
      const failed = await requestLink({ number }, otherApp);
      await service.sendBankEvent({ type: 'authentication.failed', data: { linkId: failed.id, reason: 'wrong pin' } });
      const caseId = `CASE-${randomUUID().slice(0, 8)}`;

      const response = await investigate(
        `/v1/investigations/bank-accounts?bankCode=${SANDBOX_BANK}&branchCode=001&type=ordinary&number=${number}`,
        caseId,
      );
      expect(response.statusCode).toBe(200);
      expect(response.headers['x-checkpoint']).toMatch(CHECKPOINT);
      const body = response.json();
      expect(body.bankAccount).toEqual({
        bankCode: SANDBOX_BANK,
        branchCode: '001',
        type: 'ordinary',
        last4: number.slice(-4),
      });
      expect(response.body).not.toContain(number);
      expect(body.entries).toHaveLength(3);
      expect(body.entries).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            kind: 'link_attempt',
            linkId: open.id,
            paymentAppId: 'sandbox-app',
            outcome: 'awaiting_bank_authentication',
          }),
          expect.objectContaining({
            kind: 'link_attempt',
            paymentAppId: 'sandbox-app',
            outcome: 'refused',
            reason: 'link_already_in_progress',
            refusal: expect.objectContaining({ reason: 'link_already_in_progress', openLinkId: open.id }),
          }),
          expect.objectContaining({
            kind: 'link_attempt',
            linkId: failed.id,
            paymentAppId: otherAppId,
            outcome: 'rejected',
            reason: 'bank_authentication_failed',
            failure: expect.objectContaining({ reason: 'bank_authentication_failed' }),
            finished: expect.objectContaining({ outcome: 'rejected' }),
          }),
        ]),
      );
      const attempted = body.entries.map((entry: { attemptedAt: string }) => entry.attemptedAt);
      expect(attempted).toEqual([...attempted].sort());

      const audit = (await auditEvents()).at(-1);
      expect(audit?.data).toMatchObject({
        caseId,
        read: { record: 'bank_account_history', bankCode: SANDBOX_BANK, branchCode: '001', accountType: 'ordinary' },
      });
      expect(JSON.stringify(audit)).not.toContain(number);
    });

    it('list the links requested from one device', async () => {
      const device = `device-${randomUUID()}`;
      const first = await requestLink({ device });
      const second = await requestLink({ device }, otherApp);
      const response = await investigate(`/v1/investigations/devices/${device}/links`);
      expect(response.statusCode).toBe(200);
      expect(
        response
          .json()
          .items.map((item: { id: string }) => item.id)
          .sort(),
      ).toEqual([first.id, second.id].sort());
      expect((await auditEvents()).at(-1)?.data).toMatchObject({ read: { record: 'device_links', deviceId: device } });
    });

    it("list one customer reference's links, in every app or in the one named", async () => {
      const reference = `user-${randomUUID()}`;
      const mine = await requestLink({ reference });
      const theirs = await requestLink({ reference }, otherApp);
      await requestLink();
      const everyApp = await investigate(`/v1/investigations/customer-links?customerReference=${reference}`);
      expect(everyApp.statusCode).toBe(200);
      expect(
        everyApp
          .json()
          .items.map((item: { id: string }) => item.id)
          .sort(),
      ).toEqual([mine.id, theirs.id].sort());
      expect((await auditEvents()).at(-1)?.data).toMatchObject({
        read: { record: 'customer_links', customerReference: reference },
      });

      const oneApp = await investigate(
        `/v1/investigations/customer-links?customerReference=${reference}&paymentAppId=${otherAppId}`,
      );
      expect(oneApp.json().items.map((item: { id: string }) => item.id)).toEqual([theirs.id]);
      expect((await auditEvents()).at(-1)?.data).toMatchObject({
        read: { record: 'customer_links', customerReference: reference, paymentAppId: otherAppId },
      });

      expectProblem(await investigate('/v1/investigations/customer-links'), 400, 'validation_failed');
    });
  });
});

import { randomUUID } from 'node:crypto';
import { CLOCK } from '@lib/account-linking/application/ports/clock.port';
import { TestClock } from '@lib/account-linking/infrastructure/testing/process-harness';
import { EVENT_STORE, type EventStore } from '@lib/event-store/event-store.port';
import { clientToken } from './support/client-tokens';
import { eventually } from './support/eventually';
import { aLinkRequest } from './support/link-request';
import { STORES, type ServiceUnderTest, startService } from './support/service-under-test';

/**
 * API.md "Complaint cases" (R12) over HTTP with the whole service and its worker: one case that the link's app
 * and the link's bank both see and act on, nobody else; the link suspended on opening an unauthorised_* case;
 * notes sealed at rest; respondBy in Japanese business days and the overdue timer (a test clock).
 */
describe.each(STORES)('complaint cases over HTTP, on %s', (store) => {
  // Friday 20 November 2026, 10:00 JST; Monday 23 November is a national holiday (勤労感謝の日).
  const clock = new TestClock(new Date('2026-11-20T01:00:00.000Z'));
  let service: ServiceUnderTest;
  let app: string;
  let bank: string;
  let operator: string;

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

  const call = (method: 'GET' | 'POST', url: string, options: { bearer?: string; payload?: object } = {}) =>
    service.app.inject({
      method,
      url,
      headers: {
        authorization: `Bearer ${options.bearer ?? app}`,
        ...(options.payload ? { 'content-type': 'application/json' } : {}),
      },
      ...(options.payload ? { payload: options.payload } : {}),
    });

  const anActiveLink = async (): Promise<string> => {
    const created = await call('POST', '/v1/links', { payload: aLinkRequest({ device: `device-${randomUUID()}` }) });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    await call('POST', '/v1/sandbox/banks/9900/authentications', { payload: { linkId: id, scenario: 'success' } });
    await eventually(async () => expect((await call('GET', `/v1/links/${id}`)).json().status).toBe('active'));
    return id;
  };
  const linkEvents = (linkId: string) => service.app.get<EventStore>(EVENT_STORE).readStream(`link-${linkId}`);

  it('opens one case that the app and the bank both see, thread and agreed decision included', async () => {
    const linkId = await anActiveLink();
    const opened = await call('POST', '/v1/cases', {
      payload: { linkId, category: 'other', summary: 'The customer says the fee was charged twice' },
    });
    expect(opened.statusCode).toBe(201);
    const view = opened.json();
    expect(view).toMatchObject({
      id: expect.stringMatching(/^cas_/),
      status: 'open',
      linkId,
      category: 'other',
      paymentAppId: 'sandbox-app',
      bankCode: '9900',
      openedBy: 'payment_app',
      openedAt: '2026-11-20T01:00:00.000Z',
      // Five business days past the holiday Monday: Tue, Wed, Thu, Fri, Mon 30 November.
      respondBy: '2026-11-30T01:00:00.000Z',
      notes: [],
      decision: null,
    });

    const seenByBank = await call('GET', `/v1/cases/${view.id}`, { bearer: bank });
    expect(seenByBank.statusCode).toBe(200);
    expect(seenByBank.json()).toEqual(view);

    const note = await call('POST', `/v1/cases/${view.id}/notes`, {
      bearer: bank,
      payload: { text: 'We see a single debit on 19 November' },
    });
    expect(note.statusCode).toBe(201);
    expect(note.json().notes).toEqual([
      { id: expect.any(String), by: 'bank', at: expect.any(String), text: 'We see a single debit on 19 November' },
    ]);

    const proposed = await call('POST', `/v1/cases/${view.id}/decision`, {
      payload: { outcome: 'upheld', compensation: { amount: 300, paidBy: 'shared', appShare: 100 } },
    });
    expect(proposed.statusCode).toBe(200);
    expect(proposed.json()).toMatchObject({ status: 'awaiting_agreement', decision: null });
    const ownAgreement = await call('POST', `/v1/cases/${view.id}/agreement`);
    expect(ownAgreement.statusCode).toBe(409);
    expect(ownAgreement.json()).toMatchObject({ code: 'case_own_proposal' });

    const agreed = await call('POST', `/v1/cases/${view.id}/agreement`, { bearer: bank });
    expect(agreed.statusCode).toBe(200);
    expect(agreed.json()).toMatchObject({
      status: 'decided',
      decision: {
        outcome: 'upheld',
        compensation: { amount: 300, paidBy: 'shared', appShare: 100 },
        decidedBy: 'payment_app',
        agreedBy: 'bank',
      },
    });
    expect(await service.eventTypesOf(`case-${view.id}`)).toEqual([
      'CaseOpened',
      'CaseNoteAdded',
      'CaseDecisionProposed',
      'CaseDecisionAgreed',
    ]);

    await eventually(async () => {
      for (const bearer of [app, bank]) {
        const page = (await call('GET', `/v1/cases?linkId=${linkId}&status=decided`, { bearer })).json();
        expect(page.items.map((item: { id: string }) => item.id)).toEqual([view.id]);
      }
    });
    // An `other` complaint leaves the link alone.
    expect((await call('GET', `/v1/links/${linkId}`)).json().status).toBe('active');
  });

  it('is read by investigators through the audited API, naming their investigation case', async () => {
    const investigator = await service.token('sandbox-investigator');
    const linkId = await anActiveLink();
    const { id } = (
      await call('POST', '/v1/cases', { payload: { linkId, category: 'other', summary: 'a disputed fee' } })
    ).json();
    await call('POST', `/v1/cases/${id}/notes`, { payload: { text: 'screenshots attached at the bank' } });
    const read = (url: string, investigationCase?: string) =>
      service.app.inject({
        method: 'GET',
        url,
        headers: {
          authorization: `Bearer ${investigator}`,
          ...(investigationCase ? { 'x-investigation-case': investigationCase } : {}),
        },
      });
    expect((await read(`/v1/investigations/cases/${id}`)).statusCode).toBe(400);
    const seen = await read(`/v1/investigations/cases/${id}`, 'POLICE-2026-117');
    expect(seen.statusCode).toBe(200);
    expect(seen.json()).toMatchObject({ id, linkId, notes: [{ text: 'screenshots attached at the bank' }] });
    await eventually(async () => {
      const listed = (await read(`/v1/investigations/links/${linkId}/cases`, 'POLICE-2026-117')).json();
      expect(listed.items.map((item: { id: string }) => item.id)).toEqual([id]);
    });
    expect((await read('/v1/investigations/cases/cas_unknown', 'POLICE-2026-117')).json().code).toBe('case_not_found');
    const audit = await service.app.get<EventStore>(EVENT_STORE).readStream('audit-investigations');
    expect(audit.map((event) => (event.data as { read: unknown }).read)).toEqual(
      expect.arrayContaining([
        { record: 'case', caseId: id },
        { record: 'link_cases', linkId },
      ]),
    );
    // Apps and banks do not read through the investigator API.
    expect((await call('GET', `/v1/investigations/cases/${id}`)).statusCode).toBe(403);
  });

  it('is unknown (404) to another app and another bank, and absent from their lists', async () => {
    const linkId = await anActiveLink();
    const { id } = (await call('POST', '/v1/cases', { payload: { linkId, category: 'other', summary: 'x' } })).json();
    const otherApp = await service.paymentAppToken('other-wallet');
    const otherBank = await clientToken(service, 'bank-0005', 'bank');
    for (const bearer of [otherApp, otherBank]) {
      const get = await call('GET', `/v1/cases/${id}`, { bearer });
      expect(get.statusCode).toBe(404);
      expect(get.headers['content-type']).toContain('application/problem+json');
      expect(get.json()).toMatchObject({ code: 'case_not_found' });
      expect((await call('POST', `/v1/cases/${id}/notes`, { bearer, payload: { text: 'hi' } })).statusCode).toBe(404);
      const open = await call('POST', '/v1/cases', { bearer, payload: { linkId, category: 'other', summary: 'y' } });
      expect(open.statusCode).toBe(404);
      expect(open.json()).toMatchObject({ code: 'link_not_found' });
      const page = (await call('GET', `/v1/cases?linkId=${linkId}`, { bearer })).json();
      expect(page.items).toEqual([]);
    }
  });

  it('suspends the link at once for an unauthorised_link case, as a system decision naming the rule', async () => {
    const linkId = await anActiveLink();
    const opened = await call('POST', '/v1/cases', {
      bearer: bank,
      payload: { linkId, category: 'unauthorised_link', summary: 'The customer never asked for this link' },
    });
    expect(opened.statusCode).toBe(201);
    expect(opened.json()).toMatchObject({ openedBy: 'bank', status: 'open' });
    await eventually(async () => expect((await call('GET', `/v1/links/${linkId}`)).json().status).toBe('suspended'));
    const suspended = (await linkEvents(linkId)).find((event) => event.type === 'LinkSuspended');
    expect(suspended?.data).toMatchObject({ by: 'system', reason: 'fraud_rule:case_opened' });
    expect(suspended?.metadata.actor).toEqual({ type: 'system', id: 'fraud-rule:case_opened' });
  });

  it('keeps note text and the summary sealed at rest', async () => {
    const linkId = await anActiveLink();
    const summary = `Summary-${randomUUID()}`;
    const text = `Note-${randomUUID()}`;
    const { id } = (await call('POST', '/v1/cases', { payload: { linkId, category: 'other', summary } })).json();
    expect((await call('POST', `/v1/cases/${id}/notes`, { payload: { text } })).statusCode).toBe(201);
    expect((await call('GET', `/v1/cases/${id}`, { bearer: bank })).json()).toMatchObject({
      summary,
      notes: [{ text }],
    });
    await eventually(async () => {
      const page = (await call('GET', `/v1/cases?linkId=${linkId}`)).json();
      expect(page.items).toHaveLength(1);
    });
    const dump = await service.dumpDatabase();
    expect(dump).toContain(id);
    expect(dump).not.toContain(text);
    expect(dump).not.toContain(summary);
  });

  it('answers bad input with problem+json and records nothing', async () => {
    const linkId = await anActiveLink();
    const before = await service.countRows('es_events');
    const bad = [
      { linkId, category: 'fraud', summary: 'x' },
      { linkId, category: 'other' },
      { linkId, category: 'other', summary: 'x', debitIds: ['nope'] },
      { linkId, category: 'unauthorised_debit', summary: 'x', debitIds: ['dbt_unknown'] },
    ];
    for (const payload of bad) {
      const response = await call('POST', '/v1/cases', { payload });
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect([400, 422]).toContain(response.statusCode);
    }
    const { id } = (await call('POST', '/v1/cases', { payload: { linkId, category: 'other', summary: 'x' } })).json();
    const afterOpen = await service.countRows('es_events');
    const refusals = [
      call('POST', `/v1/cases/${id}/decision`, { payload: { outcome: 'maybe' } }),
      call('POST', `/v1/cases/${id}/decision`, {
        payload: { outcome: 'upheld', compensation: { amount: 100, paidBy: 'shared', appShare: 500 } },
      }),
      call('POST', `/v1/cases/${id}/agreement`, { bearer: bank }),
      call('POST', `/v1/cases/${id}/notes`, { payload: { text: '' } }),
    ];
    const answers = await Promise.all(refusals);
    expect(answers.map((answer) => answer.statusCode)).toEqual([400, 422, 409, 400]);
    expect(answers[1]?.json()).toMatchObject({ code: 'invalid_compensation' });
    expect(answers[2]?.json()).toMatchObject({ code: 'case_no_proposal' });
    expect(await service.countRows('es_events')).toBe(afterOpen);
    expect(afterOpen).toBeGreaterThan(before);
  });

  it('lets an operator decide alone, and marks an undecided case overdue after 5 business days', async () => {
    const linkId = await anActiveLink();
    const late = (await call('POST', '/v1/cases', { payload: { linkId, category: 'other', summary: 'late' } })).json();
    const decided = (await call('POST', '/v1/cases', { payload: { linkId, category: 'other', summary: 'ok' } })).json();
    const byOperator = await call('POST', `/v1/admin/cases/${decided.id}/decision`, {
      bearer: operator,
      payload: { outcome: 'rejected' },
    });
    expect(byOperator.statusCode).toBe(200);
    expect(byOperator.json()).toMatchObject({
      status: 'decided',
      decision: { outcome: 'rejected', decidedBy: 'operator' },
    });
    expect(
      (await call('POST', `/v1/admin/cases/${decided.id}/decision`, { bearer: app, payload: { outcome: 'rejected' } }))
        .statusCode,
    ).toBe(403);

    // Friday 27 November would be five calendar-business days without the holiday: not yet overdue.
    clock.set(new Date(new Date(late.respondBy).getTime() - 60_000));
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await call('GET', `/v1/cases/${late.id}`)).json().status).toBe('open');
    clock.set(new Date(new Date(late.respondBy).getTime() + 60_000));
    await eventually(async () =>
      expect((await call('GET', `/v1/cases/${late.id}`, { bearer: bank })).json().status).toBe('overdue'),
    );
    await eventually(async () => {
      const page = (await call('GET', '/v1/admin/cases?status=overdue', { bearer: operator })).json();
      expect(page.items.map((item: { id: string }) => item.id)).toContain(late.id);
    });
    // The decided case's timer was cancelled.
    expect((await call('GET', `/v1/cases/${decided.id}`)).json().status).toBe('decided');
  });
});

import { randomUUID } from 'node:crypto';
import {
  BANK_ACCOUNT_TOKENS,
  type BankAccountTokens,
} from '@lib/account-linking/application/ports/bank-account-tokens.port';
import { eventually } from './support/eventually';
import { aLinkRequest } from './support/link-request';
import { STORES, type ServiceUnderTest, startService } from './support/service-under-test';

// Attack simulations over HTTP with signed bank webhooks (R8, reverse brute force), on both stores.
jest.setTimeout(120_000);

const GENERIC_DETAIL = 'linking is refused for this device, customer or address';
let accountSeq = 0;
const freshAccount = () => String(3_000_000 + Math.floor(Math.random() * 900_000) * 7 + (accountSeq++ % 7));

describe.each(STORES)('actor defences on the %s', (store) => {
  let service: ServiceUnderTest;
  let app: string;
  let operator: string;

  beforeAll(async () => {
    service = await startService(store, { processes: 'running' });
    app = await service.token();
    operator = await service.token('sandbox-operator');
  });
  afterAll(async () => {
    await service?.close();
  });

  const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object, token = app) =>
    service.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}`, ...(payload ? { 'content-type': 'application/json' } : {}) },
      ...(payload ? { payload } : {}),
    });

  /** One attempt with one PIN: the link request, then the bank says the authentication failed. */
  const failingAttempt = async (who: { device?: string; reference?: string; ipAddress?: string }) => {
    const body = aLinkRequest({ number: freshAccount(), ...(who.reference ? { reference: who.reference } : {}) });
    const request = {
      ...body,
      device: { id: who.device ?? `device-${randomUUID()}`, ...(who.ipAddress ? { ipAddress: who.ipAddress } : {}) },
    };
    const created = await call('POST', '/v1/links', request);
    if (created.statusCode !== 201) return created;
    const failed = await service.sendBankEvent({
      type: 'authentication.failed',
      data: { linkId: created.json().id, reason: 'wrong PIN' },
    });
    // 409: the link was rejected meanwhile, its device, customer or address having been blocked.
    expect([204, 409]).toContain(failed.statusCode);
    return created;
  };

  const attack = async (who: Parameters<typeof failingAttempt>[0], attempts: number) => {
    const statuses: number[] = [];
    let refusal: Record<string, unknown> | undefined;
    for (let i = 0; i < attempts; i++) {
      const answer = await failingAttempt(who);
      statuses.push(answer.statusCode);
      if (answer.statusCode !== 201) refusal ??= answer.json();
    }
    return { statuses, refusal };
  };

  const expectBlockedAfter = (result: Awaited<ReturnType<typeof attack>>, allowed: number) => {
    expect(result.statuses.slice(0, allowed)).toEqual(Array(allowed).fill(201));
    expect(result.statuses.slice(allowed)).toEqual(Array(result.statuses.length - allowed).fill(422));
    expect(result.refusal).toMatchObject({ status: 422, code: 'actor_blocked', detail: GENERIC_DETAIL });
  };

  it('one PIN across many accounts from one device: blocked at the third account', async () => {
    expectBlockedAfter(await attack({ device: `attacker-${randomUUID()}` }, 6), 3);
  });

  it('ever-new devices but one app customer: blocked at the third account', async () => {
    expectBlockedAfter(await attack({ reference: `mule-${randomUUID()}` }, 6), 3);
  });

  it('ever-new devices and customers from one address: blocked at the tenth account (IPv6 by /64)', async () => {
    const prefix = `2001:db8:${Math.floor(Math.random() * 0xffff).toString(16)}:1`;
    const addresses = Array.from({ length: 12 }, (_, i) => `${prefix}::${(i + 1).toString(16)}`);
    const statuses: number[] = [];
    for (const ipAddress of addresses) statuses.push((await failingAttempt({ ipAddress })).statusCode);
    expect(statuses).toEqual([...Array(10).fill(201), 422, 422]);
  });

  it('many PINs against one account: the account lock, as before', async () => {
    const number = freshAccount();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      // A new device and customer each time: only the account is the same.
      const created = await call('POST', '/v1/links', aLinkRequest({ number, device: `device-${randomUUID()}` }));
      statuses.push(created.statusCode);
      if (created.statusCode === 201) {
        await service.sendBankEvent({
          type: 'authentication.failed',
          data: { linkId: created.json().id, reason: 'x' },
        });
      } else {
        expect(created.json().code).toBe('account_locked');
      }
    }
    expect(statuses).toEqual([201, 201, 201, 201, 201, 422]);
  });

  it('lets a legitimate customer on another device link while an attack runs', async () => {
    const attacker = `attacker-${randomUUID()}`;
    const attackRun = attack({ device: attacker }, 5);
    const created = await call('POST', '/v1/links', aLinkRequest({ device: `phone-${randomUUID()}` }));
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    await call('POST', '/v1/sandbox/banks/9900/authentications', { linkId: id, scenario: 'success' });
    await eventually(async () => expect((await call('GET', `/v1/links/${id}`)).json().status).toBe('active'), 60_000);
    expectBlockedAfter(await attackRun, 3);
  });

  it('shows on the link view how many accounts its device and customer tried, and whether either was blocked', async () => {
    const device = `signals-${randomUUID()}`;
    const reference = `user-${randomUUID()}`;
    const first = await failingAttempt({ device });
    const second = await failingAttempt({ device, reference });
    const view = (id: string) => call('GET', `/v1/links/${id}`).then((answer) => answer.json());
    await eventually(async () =>
      expect((await view(second.json().id)).signals).toEqual({
        device: { accountsTried24h: 2, accountsTried30d: 2, everBlocked: false },
        customer: { accountsTried24h: 1, accountsTried30d: 1, everBlocked: false },
      }),
    );
    // The third failing account blocks the device; a refused request is recorded on its link only (a blocked
    // actor's requests must not grow the stream each of them reads).
    await failingAttempt({ device });
    expect((await failingAttempt({ device })).statusCode).toBe(422);
    await eventually(async () =>
      expect((await view(first.json().id)).signals.device).toEqual({
        accountsTried24h: 3,
        accountsTried30d: 3,
        everBlocked: true,
      }),
    );
    // The same signals on the list (and on the bank's views, test/queries.e2e.spec.ts).
    const listed = await call('GET', `/v1/links?customerReference=${reference}`);
    expect(listed.json().items[0].signals).toMatchObject({
      device: { everBlocked: true },
      customer: { everBlocked: false },
    });
  });

  it("refuses a blocked actor's request before it claims the account: the link alone records the refusal", async () => {
    const device = `hammer-${randomUUID()}`;
    expectBlockedAfter(await attack({ device }, 4), 3);
    const number = freshAccount();
    const refused = await call('POST', '/v1/links', { ...aLinkRequest({ number }), device: { id: device } });
    expect(refused.json()).toMatchObject({ status: 422, code: 'actor_blocked', detail: GENERIC_DETAIL });
    const linkId = refused.json().linkId as string;
    expect(await service.eventTypesOf(`link-${linkId}`)).toEqual(['LinkRequested', 'LinkRejected']);
    const token = service.app
      .get<BankAccountTokens>(BANK_ACCOUNT_TOKENS)
      .tokenFor({ bankCode: '9900', branchCode: '001', type: 'ordinary', number });
    expect(await service.eventTypesOf(`bank-account-${token}`)).toEqual([]);
  });

  describe('a bank policy that tightens the defences', () => {
    const STRICT_BANK = '0420';
    let strictSecret: string;
    const POLICY = {
      customerNotifiedBy: 'service',
      coolingOffMinutes: 0,
      customerConfirmationRequired: false,
      phishingResistantFactorRequired: false,
    };
    beforeAll(async () => {
      // A looser block length than the deployment's (24 h) has no effect; the threshold of 2 does.
      strictSecret = await service.registerBank(
        STRICT_BANK,
        {
          ...(POLICY as { customerNotifiedBy: 'service' } & typeof POLICY),
          actorDefences: { device: { threshold: 2, blockMinutes: 60 } },
        },
        'Strict Bank',
      );
    });

    const failAtStrictBank = async (device: string) => {
      const created = await call('POST', '/v1/links', {
        ...aLinkRequest({ bankCode: STRICT_BANK, number: freshAccount() }),
        device: { id: device },
      });
      if (created.statusCode === 201) {
        await service.sendBankEvent(
          { type: 'authentication.failed', data: { linkId: created.json().id, reason: 'wrong PIN' } },
          { bankCode: STRICT_BANK, secret: strictSecret },
        );
      }
      return created;
    };

    it('blocks a device at the second failing account at that bank, for the deployment’s 24 h', async () => {
      const device = `strict-${randomUUID()}`;
      expect((await failAtStrictBank(device)).statusCode).toBe(201);
      expect((await failAtStrictBank(device)).statusCode).toBe(201);
      const refused = await failAtStrictBank(device);
      expect(refused.json()).toMatchObject({ status: 422, code: 'actor_blocked', detail: GENERIC_DETAIL });
      const blocks = (await call('GET', '/v1/admin/actor-blocks?active=true', undefined, operator)).json().items;
      const block = blocks.find((candidate: { actor: { key: string } }) => candidate.actor.key === device);
      expect(block).toMatchObject({ accountsTried: 2, reason: 'too_many_accounts_failed' });
      expect(Date.parse(block.until) - Date.parse(block.blockedAt)).toBe(24 * 60 * 60 * 1000);
    });

    it('blocks at that bank a device that two failures elsewhere left unblocked', async () => {
      const device = `wanderer-${randomUUID()}`;
      expect((await attack({ device }, 2)).statuses).toEqual([201, 201]);
      expect((await failAtStrictBank(device)).json()).toMatchObject({ code: 'actor_blocked' });
      // Blocked now everywhere: the strict bank's policy reached, the block is the actor's.
      expect((await failingAttempt({ device })).statusCode).toBe(422);
    });

    it('refuses a policy value out of range with 400 validation_failed, changing nothing', async () => {
      for (const actorDefences of [
        { device: { threshold: 0 } },
        { customer: { windowMinutes: 'long' } },
        { robot: {} },
      ]) {
        const refused = await call(
          'PUT',
          `/v1/admin/banks/${STRICT_BANK}`,
          {
            name: 'Strict Bank',
            policy: { ...POLICY, actorDefences },
          },
          operator,
        );
        expect(refused.statusCode).toBe(400);
        expect(refused.json().code).toBe('validation_failed');
      }
      const bank = (await call('GET', `/v1/admin/banks/${STRICT_BANK}`, undefined, operator)).json();
      expect(bank.policy.actorDefences).toEqual({ device: { threshold: 2, blockMinutes: 60 } });
    });
  });

  it('counts under concurrency: 20 failing attempts at once from one device fail no more accounts than allowed', async () => {
    const device = `swarm-${randomUUID()}`;
    const answers = await Promise.all(Array.from({ length: 20 }, () => failingAttempt({ device })));
    const outcomes: string[] = [];
    for (const answer of answers) {
      if (answer.statusCode !== 201) {
        outcomes.push(`refused ${answer.json().code}`);
        continue;
      }
      const link = (await call('GET', `/v1/links/${answer.json().id}`)).json();
      outcomes.push(`${link.status} ${link.reason}`);
    }
    // Exactly the threshold's accounts failed; every other attempt was stopped by the block.
    expect(outcomes.filter((outcome) => outcome === 'rejected bank_authentication_failed')).toHaveLength(3);
    expect(
      outcomes.filter((o) => o !== 'rejected bank_authentication_failed').every((o) => /actor_blocked$/.test(o)),
    ).toBe(true);
  });

  it("rejects the blocked device's links still awaiting their bank", async () => {
    const device = `patient-${randomUUID()}`;
    const waiting = await call('POST', '/v1/links', { ...aLinkRequest(), device: { id: device } });
    expect(waiting.statusCode).toBe(201);
    expectBlockedAfter(await attack({ device }, 4), 3);
    await eventually(async () =>
      expect((await call('GET', `/v1/links/${waiting.json().id}`)).json()).toMatchObject({
        status: 'rejected',
        reason: 'actor_blocked',
      }),
    );
  });

  it('lists active blocks for operators (an address only as its hash) and lifts one, with a reason', async () => {
    const device = `lifted-${randomUUID()}`;
    await attack({ device, ipAddress: '198.51.100.77' }, 3);
    const listed = await call('GET', '/v1/admin/actor-blocks?active=true', undefined, operator);
    expect(listed.statusCode).toBe(200);
    const items = listed.json().items as { id: string; actor: { kind: string; key: string }; accountsTried: number }[];
    const block = items.find((item) => item.actor.kind === 'device' && item.actor.key === device);
    expect(block).toMatchObject({
      actor: { paymentAppId: 'sandbox-app' },
      reason: 'too_many_accounts_failed',
      accountsTried: 3,
    });
    expect(JSON.stringify(listed.json())).not.toContain('198.51.100.77');

    const lifted = await call(
      'DELETE',
      `/v1/admin/actor-blocks/${block?.id}`,
      { reason: 'customer verified by phone' },
      operator,
    );
    expect(lifted.statusCode).toBe(200);
    expect(lifted.json()).toMatchObject({ id: block?.id, liftReason: 'customer verified by phone' });
    const after = (await call('GET', '/v1/admin/actor-blocks?active=true', undefined, operator)).json().items as {
      id: string;
    }[];
    expect(after.map((item) => item.id)).not.toContain(block?.id);
    // Lifted: the device may ask again.
    expect((await call('POST', '/v1/links', { ...aLinkRequest(), device: { id: device } })).statusCode).toBe(201);
  });

  it('refuses an app its operators’ endpoints, an unknown block, and a lift without a reason', async () => {
    expect((await call('GET', '/v1/admin/actor-blocks')).statusCode).toBe(403);
    const unknown = await call(
      'DELETE',
      '/v1/admin/actor-blocks/blk_AAAAAAAAAAAAAAAAAAAAAA',
      { reason: 'x' },
      operator,
    );
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('actor_block_not_found');
    const noReason = await call('DELETE', '/v1/admin/actor-blocks/blk_AAAAAAAAAAAAAAAAAAAAAA', {}, operator);
    expect(noReason.statusCode).toBe(400);
    expect((await call('GET', '/v1/admin/actor-blocks?active=maybe', undefined, operator)).statusCode).toBe(400);
  });

  it('refuses a malformed address and an oversize user agent, storing nothing', async () => {
    const before = await service.countRows('es_events');
    for (const device of [
      { id: 'd1', ipAddress: '999.1.1.1' },
      { id: 'd1', ipAddress: 'localhost' },
      { id: 'd1', userAgent: 'x'.repeat(513) },
      { id: 'd1', userAgent: 42 },
    ]) {
      const answer = await call('POST', '/v1/links', { ...aLinkRequest(), device });
      expect(answer.statusCode).toBe(400);
      expect(answer.json().code).toBe('validation_failed');
    }
    expect(await service.countRows('es_events')).toBe(before);
  });
});

import { randomUUID } from 'node:crypto';
import { aggregateStream } from '@lib/event-store/command-handling/handle-command';
import type { RecordedEvent } from '@lib/event-store/event-store.port';
import type { ProjectionRunner } from '@lib/event-store/projections/projection-runner';
import { AccountClosedFraudRule } from '../../application/fraud-rules/account-closed.fraud-rule';
import { CustomerObjectedFraudRule } from '../../application/fraud-rules/customer-objected.fraud-rule';
import { FraudRuleEnforcement, LinksReadModelBehind } from '../../application/fraud-rules/fraud-rule-enforcement';
import { bankAccountGuardStream, linkStream } from '../../application/link-streams';
import type { FraudRuleActorBlocks, FraudRuleTrigger } from '../../application/ports/fraud-rule-actor-blocks.port';
import type { LinkReadModel } from '../../application/ports/link-read-model.port';
import { linkCommandRunnerFor } from '../../application/testing/application-fixtures';
import type { FraudRuleName } from '../../domain/fraud-rules/fraud-rule';
import type { LinkEvent } from '../../domain/link/link-events';
import type { LinkFacts, LinkStatus } from '../../domain/link/link-state';
import { linkDecider } from '../../domain/link/link.decider';
import { LinksProjection } from '../read-models/links.projection';
import { SqlLinkReadModel } from '../read-models/sql-link-read-model';
import { kycMatched, linkRequested, newLinkId, ProcessHarness, TestClock } from '../testing/process-harness';

const T0 = '2026-11-21T10:00:00.000Z';
const T1 = '2026-11-21T10:05:00.000Z';
const TTL_END = '2026-11-21T10:30:00.000Z';
const RULE_TIME = new Date('2026-11-21T11:00:00.000Z');

interface Party {
  paymentAppId?: string;
  customerReference?: string;
  deviceId?: string;
  accountToken?: string;
}

/** A link's events up to a status, for one app, customer, device and account. */
const historyOf = (linkId: string, status: LinkStatus, party: Party): LinkEvent[] => {
  const requested = linkRequested(linkId, T0, TTL_END, party);
  const start = {
    ...requested,
    data: {
      ...requested.data,
      customerReference: party.customerReference ?? 'user-1',
      deviceId: party.deviceId ?? 'device-1',
    },
  } as LinkEvent;
  const notified: LinkEvent = { type: 'CustomerNotified', data: { linkId, at: T1, channel: 'sms', deliveredAt: T1 } };
  const activated: LinkEvent = { type: 'LinkActivated', data: { linkId, at: T1 } };
  switch (status) {
    case 'awaiting_bank_authentication':
      return [start];
    case 'cooling_off':
      return [
        start,
        ...kycMatched(linkId, T1, { activation: { coolingOffMinutes: 60 } }),
        notified,
        { type: 'CoolingOffStarted', data: { linkId, at: T1, until: '2026-11-21T11:05:00.000Z' } },
      ];
    case 'active':
      return [start, ...kycMatched(linkId, T1), notified, activated];
    case 'suspended':
      return [
        ...historyOf(linkId, 'active', party),
        { type: 'LinkSuspended', data: { linkId, at: T1, by: 'operator', reason: 'investigation 42' } },
      ];
    case 'revoked':
      return [
        ...historyOf(linkId, 'active', party),
        { type: 'LinkRevoked', data: { linkId, at: T1, by: 'payment_app', reason: 'wallet closed' } },
      ];
    default:
      throw new Error(`no history for ${status} in this spec`);
  }
};

/** Every fraud rule runs as the worker runs it, over a real log and the real links read model. */
describe('the fraud rules, as process managers over the log', () => {
  let harness: ProcessHarness;
  let readModel: SqlLinkReadModel;
  let linksRunner: ProjectionRunner;
  const clock = new TestClock(RULE_TIME);
  const blocked: { link: LinkFacts; rule: FraudRuleName; trigger: FraudRuleTrigger }[] = [];
  const actorBlocks: FraudRuleActorBlocks = {
    blockActorsOf: async (link, rule, trigger) => {
      blocked.push({ link, rule, trigger });
    },
  };
  const enforcementWith = (links: LinkReadModel) =>
    new FraudRuleEnforcement(harness.store, links, clock, linkCommandRunnerFor(harness.store));
  const customerObjected = (links: LinkReadModel = readModel) =>
    new CustomerObjectedFraudRule(harness.store, enforcementWith(links), actorBlocks);
  const accountClosed = (links: LinkReadModel = readModel) => new AccountClosedFraudRule(enforcementWith(links));

  beforeAll(async () => {
    harness = await ProcessHarness.open();
    readModel = new SqlLinkReadModel(harness.sql);
    linksRunner = harness.run(new LinksProjection());
    harness.run(customerObjected());
    harness.run(accountClosed());
  });
  afterAll(() => harness.close());

  const given = async (linkId: string, status: LinkStatus, party: Party = {}) => {
    await harness.append(linkId, historyOf(linkId, status, party));
    return linkId;
  };
  const stateOf = async (linkId: string) =>
    (await aggregateStream(harness.store, linkStream(linkId), linkDecider)).state;
  const lastEventOf = async (linkId: string) => (await harness.store.readStream(linkStream(linkId))).at(-1);
  const eventOf = async (linkId: string, type: string) => {
    const found = (await harness.store.readStream(linkStream(linkId))).find((event) => event.type === type);
    if (!found) throw new Error(`no ${type} on ${linkId}`);
    return found;
  };
  const countEvents = async () => (await harness.store.readAll(undefined, 100_000)).events.length;

  /** The customer objects through the bank: the decider's own two events, as `customer.objected` records them. */
  const objectTo = async (linkId: string) => {
    await harness.append(linkId, [
      { type: 'CustomerObjected', data: { linkId, at: T1 } },
      { type: 'LinkRevoked', data: { linkId, at: T1, by: 'customer', reason: 'customer_objected' } },
    ]);
    await harness.settle();
    return eventOf(linkId, 'CustomerObjected');
  };
  const reportFraudOn = async (linkId: string) => {
    await harness.append(linkId, [
      { type: 'FraudReported', data: { linkId, at: T1, by: 'bank', reason: 'mule account' } },
    ]);
    await harness.settle();
    return eventOf(linkId, 'FraudReported');
  };
  const closeAccount = async (accountToken: string) => {
    const metadata = {
      actor: { type: 'bank' as const, id: '0001' },
      correlationId: 'c',
      causationId: 'c',
      occurredAt: T1,
    };
    const result = await harness.store.appendToStream(
      bankAccountGuardStream(accountToken),
      [{ id: randomUUID(), type: 'BankAccountClosed', data: { at: T1 }, metadata }],
      'any',
    );
    await harness.settle(result.checkpoint);
    await harness.settle();
    const [closed] = (await harness.store.readStream(bankAccountGuardStream(accountToken))).slice(-1);
    return closed as RecordedEvent;
  };

  /** The rule's decision as API.md says it is recorded: system, `fraud_rule:<name>`, caused by the trigger. */
  const expectSystemDecision = async (
    linkId: string,
    type: 'LinkSuspended' | 'LinkRevoked',
    rule: FraudRuleName,
    trigger: RecordedEvent,
  ) => {
    expect(await lastEventOf(linkId)).toMatchObject({
      type,
      data: { linkId, by: 'system', reason: `fraud_rule:${rule}`, at: RULE_TIME.toISOString() },
      metadata: { actor: { type: 'system', id: `fraud-rule:${rule}` }, causationId: trigger.id },
    });
  };

  describe('customer_objected', () => {
    it("suspends the device's and the customer's other active links and revokes those not active yet", async () => {
      const device = { paymentAppId: 'kotori-pay', deviceId: `dev-${randomUUID()}` };
      const customer = { paymentAppId: 'kotori-pay', customerReference: `user-${randomUUID()}` };
      const objected = await given(newLinkId(), 'active', { ...device, ...customer });
      const sameDevice = await given(newLinkId(), 'active', { ...device, customerReference: 'someone-else' });
      const sameCustomer = await given(newLinkId(), 'cooling_off', { ...customer, deviceId: 'another-phone' });
      const bothPending = await given(newLinkId(), 'awaiting_bank_authentication', { ...device, ...customer });

      const trigger = await objectTo(objected);

      await expectSystemDecision(sameDevice, 'LinkSuspended', 'customer_objected', trigger);
      await expectSystemDecision(sameCustomer, 'LinkRevoked', 'customer_objected', trigger);
      await expectSystemDecision(bothPending, 'LinkRevoked', 'customer_objected', trigger);
      expect((await stateOf(sameDevice)).status).toBe('suspended');
      expect((await stateOf(objected)).status).toBe('revoked');
      expect(await lastEventOf(objected)).toMatchObject({ type: 'LinkRevoked', data: { by: 'customer' } });
    });

    it("leaves alone another app's links, links that ended and links already suspended", async () => {
      const deviceId = `dev-${randomUUID()}`;
      const objected = await given(newLinkId(), 'active', { deviceId });
      const otherApp = await given(newLinkId(), 'active', {
        deviceId,
        paymentAppId: 'other-pay',
        customerReference: 'x',
      });
      const ended = await given(newLinkId(), 'revoked', { deviceId, customerReference: 'y' });
      const suspended = await given(newLinkId(), 'suspended', { deviceId, customerReference: 'z' });
      const untouched = await Promise.all([otherApp, ended, suspended].map(lastEventOf));

      await objectTo(objected);

      expect(await Promise.all([otherApp, ended, suspended].map(lastEventOf))).toEqual(untouched);
    });

    it('on a bank fraud report, suspends the reported link itself as well as its siblings', async () => {
      const deviceId = `dev-${randomUUID()}`;
      const reported = await given(newLinkId(), 'active', { deviceId });
      const sibling = await given(newLinkId(), 'active', { deviceId, customerReference: 'another' });

      const trigger = await reportFraudOn(reported);

      await expectSystemDecision(reported, 'LinkSuspended', 'customer_objected', trigger);
      await expectSystemDecision(sibling, 'LinkSuspended', 'customer_objected', trigger);
    });

    it('hands the actors of the objected link to the actor-blocking seam, with the trigger', async () => {
      const deviceId = `dev-${randomUUID()}`;
      const objected = await given(newLinkId(), 'active', { deviceId });
      const trigger = await objectTo(objected);

      expect(blocked.find((call) => call.trigger.eventId === trigger.id)).toEqual({
        link: expect.objectContaining({ linkId: objected, paymentAppId: 'kotori-pay', deviceId }),
        rule: 'customer_objected',
        trigger: { eventId: trigger.id, eventType: 'CustomerObjected', correlationId: 'c', at: T1 },
      });
    });

    it('takes no second action when the log is replayed, even on a link reinstated since, or one made later', async () => {
      const deviceId = `dev-${randomUUID()}`;
      const objected = await given(newLinkId(), 'active', { deviceId });
      const reinstated = await given(newLinkId(), 'active', { deviceId, customerReference: 'b' });
      const trigger = await objectTo(objected);
      await expectSystemDecision(reinstated, 'LinkSuspended', 'customer_objected', trigger);
      await harness.append(reinstated, [
        { type: 'LinkReinstated', data: { linkId: reinstated, at: T1, by: 'operator', reason: 'cleared' } },
      ]);
      const madeLater = await given(newLinkId(), 'active', { deviceId, customerReference: 'c' });
      await harness.settle();
      const before = await countEvents();

      // A rebuild, or a crash before the checkpoint moved: the same trigger is handled again.
      await customerObjected().react([trigger]);

      expect(await countEvents()).toBe(before);
      expect((await stateOf(reinstated)).status).toBe('active');
      expect((await stateOf(madeLater)).status).toBe('active');
    });

    it('waits for the links read model to reach the trigger rather than act on a partial view of the links', async () => {
      const deviceId = `dev-${randomUUID()}`;
      const [objected, sibling] = [newLinkId(), newLinkId()];
      // The read model stops, as it would behind a slow transaction or during a swap.
      await linksRunner.stop();
      harness.runners.splice(harness.runners.indexOf(linksRunner), 1);
      const metadata = {
        actor: { type: 'bank' as const, id: '0001' },
        correlationId: 'c',
        causationId: 'c',
        occurredAt: T1,
      };
      for (const [linkId, events] of [
        [objected, historyOf(objected, 'active', { deviceId })],
        [sibling, historyOf(sibling, 'active', { deviceId, customerReference: 'b' })],
        [
          objected,
          [
            { type: 'CustomerObjected', data: { linkId: objected, at: T1 } },
            { type: 'LinkRevoked', data: { linkId: objected, at: T1, by: 'customer', reason: 'customer_objected' } },
          ],
        ],
      ] as const) {
        await harness.store.appendToStream(
          linkStream(linkId),
          events.map((event) => ({ id: randomUUID(), type: event.type, data: event.data, metadata })),
          'any',
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await readModel.find(sibling)).toBeUndefined();
      expect((await stateOf(sibling)).status).toBe('active');

      linksRunner = harness.run(new LinksProjection());
      await harness.settle();

      await expectSystemDecision(
        sibling,
        'LinkSuspended',
        'customer_objected',
        await eventOf(objected, 'CustomerObjected'),
      );
    });

    it('refuses to pick the links while the read model is behind the trigger, so its checkpoint stays', async () => {
      const objected = await given(newLinkId(), 'active', { deviceId: `dev-${randomUUID()}` });
      const trigger = await objectTo(objected);
      const lagging: LinkReadModel = {
        settle: async () => '0',
        find: (linkId) => readModel.find(linkId),
        select: (selection, page) => readModel.select(selection, page),
        count: (selection) => readModel.count(selection),
        countsByStatus: (bankCode) => readModel.countsByStatus(bankCode),
      };

      await expect(customerObjected(lagging).react([trigger])).rejects.toBeInstanceOf(LinksReadModelBehind);
    });
  });

  describe('account_closed', () => {
    it('revokes every link on the closed account that has not ended, whichever app holds it', async () => {
      const accountToken = `tok_${randomUUID()}`;
      const active = await given(newLinkId(), 'active', { accountToken });
      const pending = await given(newLinkId(), 'awaiting_bank_authentication', {
        accountToken,
        paymentAppId: 'other-pay',
      });
      const suspended = await given(newLinkId(), 'suspended', { accountToken, paymentAppId: 'third-pay' });
      const elsewhere = await given(newLinkId(), 'active', { accountToken: `tok_${randomUUID()}` });

      const trigger = await closeAccount(accountToken);

      for (const linkId of [active, pending, suspended]) {
        await expectSystemDecision(linkId, 'LinkRevoked', 'account_closed', trigger);
      }
      expect((await stateOf(elsewhere)).status).toBe('active');
    });

    it('takes no second action when the closure is handled again', async () => {
      const accountToken = `tok_${randomUUID()}`;
      const linkId = await given(newLinkId(), 'active', { accountToken });
      const trigger = await closeAccount(accountToken);
      await expectSystemDecision(linkId, 'LinkRevoked', 'account_closed', trigger);
      const before = await countEvents();

      await accountClosed().react([trigger]);

      expect(await countEvents()).toBe(before);
    });
  });
});

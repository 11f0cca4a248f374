import { randomUUID } from 'node:crypto';
import { aggregateStream } from '@lib/event-store/command-handling/handle-command';
import { BankAccountGuardUpdates } from '../../application/bank-account-guard/bank-account-guard-updates';
import { BankAccountGuardProcessManager } from '../../application/bank-account-guard/bank-account-guard.process-manager';
import { bankAccountGuardStream } from '../../application/link-streams';
import { TEST_LINKING_SETTINGS } from '../../application/testing/application-fixtures';
import { bankAccountGuardDecider } from '../../domain/bank-account-guard/bank-account-guard.decider';
import type { LinkEvent } from '../../domain/link/link-events';
import { linkRequested, newLinkId, ProcessHarness } from '../testing/process-harness';

const T0 = '2026-11-21T10:00:00.000Z';
const TTL_END = '2026-11-21T10:30:00.000Z';
const LOCKOUT = { threshold: 2, windowMinutes: 60, lockMinutes: 60 };

/**
 * The link's append and the guard's are two writes: these tests make only the first (as a crash between
 * them leaves the store) and let the guard's catch-up, run as the worker runs it, do the second.
 */
describe("the bank account guard's durable catch-up", () => {
  let harness: ProcessHarness;
  const updates = () => new BankAccountGuardUpdates(harness.store, { ...TEST_LINKING_SETTINGS, lockout: LOCKOUT });
  const metadata = {
    actor: { type: 'payment_app' as const, id: 'kotori-pay' },
    correlationId: 'c',
    causationId: 'c',
    occurredAt: T0,
  };

  beforeAll(async () => {
    harness = await ProcessHarness.open();
    harness.run(new BankAccountGuardProcessManager(harness.store, updates()));
  });
  afterAll(() => harness.close());

  /** The request claimed the account (the guard's synchronous write) and the link stream started. */
  const claimed = async (linkId: string, accountToken: string) => {
    const register = { linkId, paymentAppId: 'kotori-pay', now: T0 };
    await harness.store.appendToStream(
      bankAccountGuardStream(accountToken),
      [{ id: randomUUID(), type: 'LinkAttemptRegistered', data: { ...register, at: T0 }, metadata }],
      'any',
    );
  };
  const guardOf = async (accountToken: string) =>
    (await aggregateStream(harness.store, bankAccountGuardStream(accountToken), bankAccountGuardDecider)).state;
  const guardEvents = async (accountToken: string) =>
    (await harness.store.readStream(bankAccountGuardStream(accountToken))).map((event) => event.type);
  const failed = (linkId: string, at: string): LinkEvent[] => [
    { type: 'BankAuthenticationFailed', data: { linkId, at, reason: 'wrong_pin' } },
    { type: 'LinkRejected', data: { linkId, at, reason: 'bank_authentication_failed', detail: 'wrong pin' } },
  ];

  it('frees the account of a link that ended while its guard was not told, and counts its failure', async () => {
    const linkId = newLinkId();
    const token = `tok_${linkId}`;
    await claimed(linkId, token);
    await harness.append(linkId, [linkRequested(linkId, T0, TTL_END), ...failed(linkId, '2026-11-21T10:01:00.000Z')]);
    await harness.settle();

    const guard = await guardOf(token);
    expect(guard.openLinks).toEqual([]);
    expect(guard.failures).toEqual([{ linkId, reason: 'bank_authentication_failed', at: '2026-11-21T10:01:00.000Z' }]);
    const [finished] = (await harness.store.readStream(bankAccountGuardStream(token))).slice(-1);
    expect(finished?.metadata.actor).toEqual({ type: 'system', id: 'bank-account-guard' });
  });

  it('locks the account when the uncounted failures reach the threshold (R8)', async () => {
    const first = newLinkId();
    const second = newLinkId();
    const token = `tok_shared_${first}`;
    for (const [linkId, at] of [
      [first, '2026-11-21T10:01:00.000Z'],
      [second, '2026-11-21T10:02:00.000Z'],
    ] as const) {
      await claimed(linkId, token);
      await harness.append(linkId, [
        linkRequested(linkId, T0, TTL_END, { accountToken: token }),
        ...failed(linkId, at),
      ]);
    }
    await harness.settle();

    expect((await guardOf(token)).lockedUntil).toBe('2026-11-21T11:02:00.000Z');
  });

  it('changes nothing when the command side had told the guard already, nor when it sees the events again', async () => {
    const linkId = newLinkId();
    const token = `tok_${linkId}`;
    await claimed(linkId, token);
    const events = [linkRequested(linkId, T0, TTL_END), ...failed(linkId, '2026-11-21T10:01:00.000Z')];
    await updates().apply(token, events, metadata);
    const before = await guardEvents(token);
    await harness.append(linkId, events);
    await harness.settle();
    expect(await guardEvents(token)).toEqual(before);

    // A crash before the checkpoint moved: the same events are applied again.
    await new BankAccountGuardProcessManager(harness.store, updates()).react(
      await harness.store.readStream(`link-${linkId}`),
    );
    expect(await guardEvents(token)).toEqual(before);
    expect(before).toEqual(['LinkAttemptRegistered', 'AccountLinkingFailureRecorded', 'LinkAttemptFinished']);
  });

  it('frees the claim of a request that was abandoned before its link started', async () => {
    const linkId = newLinkId();
    const token = `tok_${linkId}`;
    await claimed(linkId, token);
    await harness.append(linkId, [
      {
        type: 'LinkRequestAbandoned',
        data: {
          linkId,
          at: '2026-11-21T10:05:00.000Z',
          paymentAppId: 'kotori-pay',
          accountToken: token,
          claimedAt: T0,
        },
      },
    ]);
    await harness.settle();
    expect((await guardOf(token)).openLinks).toEqual([]);
    expect((await guardEvents(token)).at(-1)).toBe('LinkAttemptFinished');
  });
});

import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '@lib/event-store/event-store.port';
import type { Projection } from '@lib/event-store/projections/projection';
import { GUARD_LINK_EVENT_TYPES } from '../../domain/bank-account-guard/guard-command-for-link-event';
import type { LinkEvent, LinkRequested } from '../../domain/link/link-events';
import { LINK_STREAM_PREFIX, linkStream } from '../link-streams';
import { BankAccountGuardUpdates } from './bank-account-guard-updates';

/** Link ids whose account token was looked up lately (a link's account never changes). */
const TOKEN_CACHE_SIZE = 10_000;

/**
 * Keeps every bank account's guard in step with its links' events, durably: the command side updates the
 * guard inline as a fast path, but a crash or an error between the link's append and the guard's would
 * leave the account claimed (`link_already_in_progress`) for ever and the failure uncounted. This follows
 * the log from its checkpoint and applies each event again; the guard decider makes repeats no-ops.
 */
@Injectable()
export class BankAccountGuardProcessManager implements Projection {
  readonly name = 'process-manager:bank-account-guard';
  readonly filter = { streamPrefixes: [LINK_STREAM_PREFIX], eventTypes: GUARD_LINK_EVENT_TYPES };
  private readonly accountTokens = new Map<string, string>();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly guard: BankAccountGuardUpdates,
  ) {}

  async setUp(): Promise<void> {
    // Writes only to the event store.
  }

  /** Appends to the guard streams before the checkpoint moves: at least once, idempotent. */
  async react(events: readonly RecordedEvent[]): Promise<void> {
    for (const recorded of events) {
      const event = { type: recorded.type, data: recorded.data } as LinkEvent;
      const accountToken = await this.accountTokenOf(event);
      if (accountToken === undefined) continue;
      await this.guard.apply(accountToken, [event], {
        actor: { type: 'system', id: 'bank-account-guard' },
        correlationId: recorded.metadata.correlationId,
        causationId: recorded.id,
        occurredAt: event.data.at,
      });
    }
  }

  async apply(): Promise<void> {
    // No read model: the effects are the guard streams' events (see `react`).
  }

  /** A rebuild replays every link event into the guards, which ignore what they have seen. */
  async reset(): Promise<void> {}

  private async accountTokenOf(event: LinkEvent): Promise<string | undefined> {
    if (event.type === 'LinkRequestAbandoned') return event.data.accountToken;
    const { linkId } = event.data;
    const cached = this.accountTokens.get(linkId);
    if (cached !== undefined) return cached;
    const [first] = await this.store.readStream(linkStream(linkId), { toRevision: 0 });
    const token =
      first?.type === 'LinkRequested' ? (first.data as LinkRequested['data']).bankAccount.accountToken : undefined;
    if (token === undefined) return undefined;
    if (this.accountTokens.size >= TOKEN_CACHE_SIZE) this.accountTokens.clear();
    this.accountTokens.set(linkId, token);
    return token;
  }
}

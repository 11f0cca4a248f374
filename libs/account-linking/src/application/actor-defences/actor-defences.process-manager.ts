import { Inject, Injectable } from '@nestjs/common';
import { aggregateStream } from '@lib/event-store/command-handling/handle-command';
import {
  EVENT_STORE,
  type EventMetadata,
  type EventStore,
  type RecordedEvent,
} from '@lib/event-store/event-store.port';
import type { Projection } from '@lib/event-store/projections/projection';
import type { SqlExecutor } from '@lib/platform/sql/sql-client';
import { actorDefenceDecider } from '../../domain/actor/actor-defence.decider';
import type { ActorBlocked, ActorBlockLifted } from '../../domain/actor/actor-defence.events';
import { ACTOR_LINK_EVENT_TYPES } from '../../domain/actor/actor-outcome-of-link-event';
import { DomainError } from '../../domain/domain-error';
import type { LinkEvent, LinkRequested } from '../../domain/link/link-events';
import { LinkCommandRunner } from '../link-command-runner';
import { ACTOR_STREAM_PREFIX, LINK_STREAM_PREFIX, linkStream } from '../link-streams';
import { ACTOR_BLOCK_TIMERS, type ActorBlockTimers } from '../ports/actor-block-timers.port';
import { ActorDefences, type LinkActors } from './actor-defences';

const LINK_CACHE_SIZE = 10_000;

/**
 * The actors' side of every link, durably (R8): follows the log from its checkpoint and tells each link's
 * device, customer and address how the attempt went (the command side does it inline as a fast path); when
 * an actor is blocked, rejects its links still awaiting their bank (`actor_blocked`). Every command it sends
 * is idempotent, so a replay or a crash before the checkpoint does nothing twice. Each block's end is a
 * durable timer written in the checkpoint's transaction (`actor_block_timers`), cancelled by a lift.
 */
@Injectable()
export class ActorDefencesProcessManager implements Projection {
  readonly name = 'process-manager:actor-defences';
  readonly filter = {
    streamPrefixes: [LINK_STREAM_PREFIX, ACTOR_STREAM_PREFIX],
    // `LinkRequested` names the link's actors: kept, so that its later events cost no read of the link.
    eventTypes: [...ACTOR_LINK_EVENT_TYPES, 'LinkRequested', 'ActorBlocked', 'ActorBlockLifted'],
  };
  private readonly links = new Map<string, LinkActors>();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly actors: ActorDefences,
    private readonly runner: LinkCommandRunner,
    @Inject(ACTOR_BLOCK_TIMERS) private readonly blockTimers: ActorBlockTimers,
  ) {}

  async setUp(): Promise<void> {
    // Writes only to the event store.
  }

  async react(events: readonly RecordedEvent[]): Promise<void> {
    for (const recorded of events) {
      const metadata: EventMetadata = {
        actor: { type: 'system', id: 'actor-defences' },
        correlationId: recorded.metadata.correlationId,
        causationId: recorded.id,
        occurredAt: (recorded.data as { at: string }).at,
      };
      if (recorded.type === 'LinkRequested') this.keepActors(recorded.data as LinkRequested['data']);
      else if (recorded.type === 'ActorBlocked') await this.rejectAwaitingLinks(recorded, metadata);
      else if (recorded.streamName.startsWith(LINK_STREAM_PREFIX)) await this.applyToActors(recorded, metadata);
    }
  }

  /** No read model: the effects are events on the actor and link streams (see `react`), and the block timers. */
  async apply(events: readonly RecordedEvent[], tx: SqlExecutor): Promise<void> {
    for (const event of events) {
      if (event.type === 'ActorBlocked') {
        const { blockId, until } = event.data as ActorBlocked['data'];
        await this.blockTimers.schedule(tx, blockId, event.streamName, new Date(until));
      } else if (event.type === 'ActorBlockLifted') {
        const { blockId, at } = event.data as ActorBlockLifted['data'];
        await this.blockTimers.cancel(tx, blockId, new Date(at));
      }
    }
  }

  /** A rebuild replays every event: the deciders ignore what they have seen. */
  async reset(): Promise<void> {}

  private async applyToActors(recorded: RecordedEvent, metadata: EventMetadata): Promise<void> {
    const event = { type: recorded.type, data: recorded.data } as LinkEvent;
    const link = event.type === 'LinkRequestAbandoned' ? undefined : await this.actorsOfLink(event.data.linkId);
    // An abandoned request's attempts end by themselves once older than a request lives.
    if (!link) return;
    await this.actors.applyLinkEvents({ ...link, linkId: event.data.linkId }, [event], metadata);
  }

  /** R8: a blocked actor's links still awaiting their bank go no further. */
  private async rejectAwaitingLinks(recorded: RecordedEvent, metadata: EventMetadata): Promise<void> {
    // A fraud rule that blocks actors deals with their links itself, naming the rule.
    if ((recorded.data as ActorBlocked['data']).reason.startsWith('fraud_rule:')) return;
    const asOfBlock = new Date(recorded.metadata.occurredAt);
    const { state } = await aggregateStream(this.store, recorded.streamName, actorDefenceDecider, asOfBlock);
    const now = (recorded.data as { at: string }).at;
    for (const attempt of state.attempts.filter((candidate) => candidate.outcome === 'pending')) {
      try {
        await this.runner.run(attempt.linkId, { type: 'RejectForBlockedActor', data: { now } }, metadata);
      } catch (error) {
        // A request that never started its link has nothing to reject.
        if (!(error instanceof DomainError && error.code === 'link_not_found')) throw error;
      }
    }
  }

  private async actorsOfLink(linkId: string): Promise<LinkActors | undefined> {
    const cached = this.links.get(linkId);
    if (cached) return cached;
    const [first] = await this.store.readStream(linkStream(linkId), { toRevision: 0 });
    if (first?.type !== 'LinkRequested') return undefined;
    return this.keepActors(first.data as LinkRequested['data']);
  }

  private keepActors(requested: LinkRequested['data']): LinkActors {
    const { linkId, paymentAppId, deviceId, customerReference, endUserAddressKey } = requested;
    const link = { paymentAppId, deviceId, customerReference, ...(endUserAddressKey ? { endUserAddressKey } : {}) };
    if (this.links.size >= LINK_CACHE_SIZE) this.links.clear();
    this.links.set(linkId, link);
    return link;
  }
}

import { Inject, Injectable } from '@nestjs/common';
import type { RecordedEvent } from '@lib/event-store/event-store.port';
import type { Projection } from '@lib/event-store/projections/projection';
import type { SqlExecutor } from '@lib/platform/sql/sql-client';
import type {
  ActorBlocked,
  ActorBlockExpired,
  ActorBlockLifted,
  ActorDefenceEvent,
} from '../../domain/actor/actor-defence.events';
import { evolveCase } from '../../domain/case/case.decider';
import type { CaseEvent, CaseEventType } from '../../domain/case/case.events';
import { initialCaseState } from '../../domain/case/case.state';
import { evolveDebit } from '../../domain/debit/debit.decider';
import type { DebitEvent, DebitEventType } from '../../domain/debit/debit.events';
import { initialDebitState } from '../../domain/debit/debit.state';
import type { LinkEvent, LinkEventType } from '../../domain/link/link-events';
import { initialLinkState } from '../../domain/link/link-state';
import { evolve } from '../../domain/link/link.evolve';
import { evolveWebhookEndpoint } from '../../domain/webhook-endpoint/webhook-endpoint.decider';
import type {
  WebhookAudience,
  WebhookEndpointEvent,
  WebhookEndpointEventType,
} from '../../domain/webhook-endpoint/webhook-endpoint.events';
import type { RegisteredWebhookEndpoint } from '../../domain/webhook-endpoint/webhook-endpoint.state';
import {
  initialWebhookEndpointState,
  type WebhookEndpointState,
} from '../../domain/webhook-endpoint/webhook-endpoint.state';
import {
  LINK_WEBHOOKS_WITHOUT_STATUS_CHANGE,
  WEBHOOK_TYPE_OF_ACTOR_EVENT,
  WEBHOOK_TYPE_OF_CASE_EVENT,
  WEBHOOK_TYPE_OF_DEBIT_EVENT,
  WEBHOOK_TYPE_OF_LINK_EVENT,
  type WebhookEventType,
} from '../../domain/webhook-endpoint/webhook-event-types';
import { toBankLinkView } from '../bank-link-view';
import { CASE_STREAM_PREFIX } from '../cases/case-streams';
import { toCaseView } from '../cases/case-view';
import { DEBIT_STREAM_PREFIX } from '../debits/debit-streams';
import { toDebitView } from '../debits/debit-view';
import { ACTOR_STREAM_PREFIX, LINK_STREAM_PREFIX } from '../link-streams';
import { toLinkView } from '../link-view';
import type { ActorBlockView } from '../ports/actor-blocks.port';
import { CLOCK, type Clock } from '../ports/clock.port';
import type { FoldedCaseState } from './folded-case-state';
import type { FoldedDebitState } from './folded-debit-state';
import type { FoldedLinkState } from './folded-link-state';
import { WEBHOOK_ENDPOINT_STREAM_PREFIX } from './webhook-endpoint-streams';
import { webhookEventId } from './webhook-event-id';
import { WEBHOOK_OUTBOX, type OutgoingWebhookEvent, type WebhookOutbox } from './webhook-outbox.port';
import { WORK_KINDS } from '../work-kinds';

const ENDPOINT_EVENT_TYPES: Record<WebhookEndpointEventType, true> = {
  WebhookEndpointRegistered: true,
  WebhookEndpointSecretRotated: true,
  WebhookEndpointDisabled: true,
  WebhookEndpointDeleted: true,
};

const LINK_EVENT_TYPES = Object.keys(WEBHOOK_TYPE_OF_LINK_EVENT) as LinkEventType[];

const ACTOR_EVENT_TYPES = (Object.keys(WEBHOOK_TYPE_OF_ACTOR_EVENT) as ActorDefenceEvent['type'][]).filter(
  (type) => WEBHOOK_TYPE_OF_ACTOR_EVENT[type] !== null,
);

const DEBIT_EVENT_TYPES = (Object.keys(WEBHOOK_TYPE_OF_DEBIT_EVENT) as DebitEventType[]).filter(
  (type) => WEBHOOK_TYPE_OF_DEBIT_EVENT[type] !== null,
);

const CASE_EVENT_TYPES = Object.keys(WEBHOOK_TYPE_OF_CASE_EVENT) as CaseEventType[];

const isCaseEvent = (event: RecordedEvent) => event.streamName.startsWith(CASE_STREAM_PREFIX);
const caseIdOf = (event: RecordedEvent) => (event.data as { caseId: string }).caseId;
const isEndpointEvent = (event: RecordedEvent) => event.streamName.startsWith(WEBHOOK_ENDPOINT_STREAM_PREFIX);
const isActorEvent = (event: RecordedEvent) => event.streamName.startsWith(ACTOR_STREAM_PREFIX);
const isDebitEvent = (event: RecordedEvent) => event.streamName.startsWith(DEBIT_STREAM_PREFIX);
const debitIdOf = (event: RecordedEvent) => (event.data as { debitId: string }).debitId;
const blockIdOf = (event: RecordedEvent) => (event.data as { blockId: string }).blockId;
const iso = (at: string) => new Date(at).toISOString();

const linkIdOf = (event: RecordedEvent): string | undefined => {
  const linkId = (event.data as { linkId?: unknown } | null)?.linkId;
  return typeof linkId === 'string' ? linkId : undefined;
};

/**
 * Webhooks out (API.md): follows the links', the endpoints', the actors' and the debits' streams and, for each link event an app or a
 * bank is told of, writes one event per audience (the app of the link, the bank of its account) and one
 * delivery per enabled endpoint of that audience taking its type, in the transaction that moves its
 * checkpoint. It folds the links itself, so each event carries the link as it was right after that event,
 * and it keeps its own copy of the endpoints, so which endpoints an event goes to follows the log's order
 * (an endpoint gets the events after its registration) and a rebuild decides the same. An actor's block and
 * its lift are told to the payment app whose actor it is (`actor.blocked`, `actor.block_lifted`).
 *
 * A debit's events (`debit-{id}`) are told to the app of its link and the bank of its account, with the debit view
 * as it was right after the event. Only the first event of a debit's stream names the app, the bank and the
 * amount, so it keeps each debit it folded in `webhook_debit_states` (as it keeps links), rather than reading the
 * debit's stream back: it needs nothing but the log, in the log's order, and a replay finds the revision folded
 * already. A later event of a debit it never saw begin (one made before it followed debits) tells nothing.
 */
@Injectable()
export class WebhooksOutProcessManager implements Projection {
  static readonly NAME = 'process-manager:webhooks-out';
  readonly name = WebhooksOutProcessManager.NAME;
  readonly wakes = [WORK_KINDS.webhookDeliveries];
  readonly filter = {
    streamPrefixes: [
      LINK_STREAM_PREFIX,
      WEBHOOK_ENDPOINT_STREAM_PREFIX,
      ACTOR_STREAM_PREFIX,
      DEBIT_STREAM_PREFIX,
      CASE_STREAM_PREFIX,
    ],
    eventTypes: [
      ...LINK_EVENT_TYPES,
      ...Object.keys(ENDPOINT_EVENT_TYPES),
      ...ACTOR_EVENT_TYPES,
      ...DEBIT_EVENT_TYPES,
      ...CASE_EVENT_TYPES,
    ],
  };

  constructor(
    @Inject(WEBHOOK_OUTBOX) private readonly outbox: WebhookOutbox,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async setUp(): Promise<void> {
    // The outbox creates its tables when it is built.
  }

  async apply(events: readonly RecordedEvent[], tx: SqlExecutor): Promise<void> {
    const linkIds = [
      ...new Set(
        events
          .filter((e) => !isEndpointEvent(e) && !isActorEvent(e) && !isDebitEvent(e) && !isCaseEvent(e))
          .map(linkIdOf)
          .filter((id) => id !== undefined),
      ),
    ];
    const endpointIds = [
      ...new Set(events.filter(isEndpointEvent).map((e) => (e.data as { endpointId: string }).endpointId)),
    ];
    const links = await this.outbox.linkStates(tx, linkIds);
    const endpoints = await this.outbox.endpointStates(tx, endpointIds);
    const debits = await this.outbox.debitStates(tx, [...new Set(events.filter(isDebitEvent).map(debitIdOf))]);
    const blocks = await this.outbox.actorBlocks(tx, [...new Set(events.filter(isActorEvent).map(blockIdOf))]);
    const changedLinks = new Map<string, FoldedLinkState>();
    const changedBlocks = new Map<string, ActorBlockView>();
    const changedDebits = new Map<string, FoldedDebitState>();
    const cases = await this.outbox.caseStates(tx, [...new Set(events.filter(isCaseEvent).map(caseIdOf))]);
    const changedCases = new Map<string, FoldedCaseState>();
    const now = this.clock.now();
    // Recorded together; but before an endpoint changes, so that each event goes to the endpoints as they were.
    let outgoing: OutgoingWebhookEvent[] = [];
    const record = async () => {
      await this.outbox.recordEvents(tx, outgoing, now);
      outgoing = [];
    };

    for (const recorded of events) {
      if (isEndpointEvent(recorded)) {
        await record();
        await this.applyEndpointEvent(recorded, endpoints, tx, now);
        continue;
      }
      if (isActorEvent(recorded)) {
        const block = this.applyActorEvent(recorded, blocks);
        if (block === undefined) continue;
        blocks.set(block.view.id, block.view);
        changedBlocks.set(block.view.id, block.view);
        outgoing.push(this.actorEventOf(recorded, block.type, block.view));
        continue;
      }
      if (isDebitEvent(recorded)) {
        const folded = this.applyDebitEvent(recorded, debits);
        if (folded === undefined) continue;
        debits.set(folded.debit.state.debit.debitId, folded.debit);
        changedDebits.set(folded.debit.state.debit.debitId, folded.debit);
        if (folded.type === null) continue;
        outgoing.push(...this.debitEventsOf(recorded, folded.type, folded.debit));
        continue;
      }
      if (isCaseEvent(recorded)) {
        const known = cases.get(caseIdOf(recorded));
        if (known && recorded.revision <= known.revision) continue;
        const event = { type: recorded.type, data: recorded.data } as CaseEvent;
        const state = evolveCase(known?.state ?? initialCaseState(), event);
        // A later event of a case never seen opened (before this process manager followed cases) tells nothing.
        if (state.status === 'none') continue;
        const folded = { state, revision: recorded.revision };
        cases.set(state.facts.caseId, folded);
        changedCases.set(state.facts.caseId, folded);
        outgoing.push(...this.caseEventsOf(recorded, WEBHOOK_TYPE_OF_CASE_EVENT[event.type], folded));
        continue;
      }
      const linkId = linkIdOf(recorded);
      if (linkId === undefined) continue;
      const known = links.get(linkId);
      if (known && recorded.revision <= known.revision) continue;
      const event = { type: recorded.type, data: recorded.data } as LinkEvent;
      const state = evolve(known?.state ?? initialLinkState(), event);
      if (state.status === 'none') continue;
      const folded = { state, revision: recorded.revision };
      links.set(linkId, folded);
      changedLinks.set(linkId, folded);
      const type = WEBHOOK_TYPE_OF_LINK_EVENT[event.type];
      // An event that changed nothing (a reinstatement of a link that was not suspended) tells nobody anything;
      // a change within a status (a re-bound device, its limits) is told as such.
      if (type === null) continue;
      if (known?.state.status === state.status && !LINK_WEBHOOKS_WITHOUT_STATUS_CHANGE.has(type)) continue;
      outgoing.push(...this.eventsOf(recorded, type, folded));
    }
    await record();
    if (changedLinks.size > 0) await this.outbox.saveLinkStates(tx, changedLinks);
    await this.outbox.saveDebitStates(tx, changedDebits);
    await this.outbox.saveCaseStates(tx, changedCases);
    await this.outbox.saveActorBlocks(tx, changedBlocks);
  }

  /**
   * The debit after the event and what it is told as: null when the event changed nothing (a report of a debit
   * no longer authorised); undefined when there is nothing to fold (seen already, or a debit never seen begin).
   */
  private applyDebitEvent(
    recorded: RecordedEvent,
    debits: ReadonlyMap<string, FoldedDebitState>,
  ): { debit: FoldedDebitState; type: WebhookEventType | null } | undefined {
    const known = debits.get(debitIdOf(recorded));
    if (known && recorded.revision <= known.revision) return undefined;
    const event = { type: recorded.type, data: recorded.data } as DebitEvent;
    const state = evolveDebit(known?.state ?? initialDebitState(), event);
    if (state.status === 'none') return undefined;
    const debit = { state, revision: recorded.revision };
    const changed = known?.state.status !== state.status;
    return { debit, type: changed ? WEBHOOK_TYPE_OF_DEBIT_EVENT[event.type] : null };
  }

  /** A rebuild keeps events and deliveries: replayed domain events find theirs already there and add nothing. */
  async reset(): Promise<void> {}

  private async applyEndpointEvent(
    recorded: RecordedEvent,
    endpoints: Map<string, RegisteredWebhookEndpoint>,
    tx: SqlExecutor,
    now: Date,
  ): Promise<void> {
    const event = { type: recorded.type, data: recorded.data } as WebhookEndpointEvent;
    const before: WebhookEndpointState = endpoints.get(event.data.endpointId) ?? initialWebhookEndpointState();
    const after = evolveWebhookEndpoint(before, event);
    if (after.status === 'none' || after === before) return;
    endpoints.set(after.endpointId, after);
    await this.outbox.saveEndpoint(tx, after, now);
    if (after.status !== 'enabled') await this.outbox.cancelPendingDeliveries(tx, after.endpointId, now);
  }

  /**
   * A block, or the lift of one this process manager saw made: the block as operators see it. A lift of a block
   * made before it followed the actor streams tells nothing (it never told of the block).
   */
  private applyActorEvent(
    recorded: RecordedEvent,
    blocks: ReadonlyMap<string, ActorBlockView>,
  ): { type: WebhookEventType; view: ActorBlockView } | undefined {
    const event = { type: recorded.type, data: recorded.data } as ActorBlocked | ActorBlockLifted | ActorBlockExpired;
    const type = WEBHOOK_TYPE_OF_ACTOR_EVENT[event.type];
    if (type === null) return undefined;
    if (event.type === 'ActorBlocked') {
      const { blockId, actor, at, until, reason, accountsTried } = event.data;
      return {
        type,
        view: {
          id: blockId,
          actor: { kind: actor.kind, paymentAppId: actor.paymentAppId, key: actor.key },
          blockedAt: iso(at),
          until: iso(until),
          reason,
          accountsTried,
        },
      };
    }
    const block = blocks.get(event.data.blockId);
    if (block === undefined) return undefined;
    if (event.type === 'ActorBlockExpired') return { type, view: { ...block, expiredAt: iso(event.data.at) } };
    return { type, view: { ...block, liftedAt: iso(event.data.at), liftReason: event.data.reason } };
  }

  /** For the payment app whose actor it is; its banks hear of the links it touched by those links' events. */
  private actorEventOf(recorded: RecordedEvent, type: WebhookEventType, block: ActorBlockView): OutgoingWebhookEvent {
    const createdAt = recorded.recordedAt.toISOString();
    const audience: WebhookAudience = { kind: 'payment_app', id: block.actor.paymentAppId };
    const id = webhookEventId(recorded.id, audience);
    return {
      id,
      audience,
      type,
      createdAt,
      body: JSON.stringify({ id, type, createdAt, data: block }),
      cause: this.causeOf(recorded),
    };
  }

  private causeOf(recorded: RecordedEvent) {
    return {
      eventId: recorded.id,
      streamName: recorded.streamName,
      revision: recorded.revision,
      type: recorded.type,
      checkpoint: recorded.checkpoint,
    };
  }

  /** For the app of the debit's link and the bank of its account, both with the debit view. */
  private debitEventsOf(
    recorded: RecordedEvent,
    type: WebhookEventType,
    debit: FoldedDebitState,
  ): OutgoingWebhookEvent[] {
    const createdAt = recorded.recordedAt.toISOString();
    const cause = this.causeOf(recorded);
    const data = toDebitView(debit.state);
    const audiences: WebhookAudience[] = [
      { kind: 'payment_app', id: debit.state.debit.paymentAppId },
      { kind: 'bank', id: debit.state.debit.bankCode },
    ];
    return audiences.map((audience) => {
      const id = webhookEventId(recorded.id, audience);
      return { id, audience, type, createdAt, body: JSON.stringify({ id, type, createdAt, data }), cause };
    });
  }

  /**
   * For both parties of the case, with the case view as it was right after the event; without its summary and
   * note texts, which are personal data and stay sealed (the parties read them with GET /v1/cases/{id}).
   */
  private caseEventsOf(
    recorded: RecordedEvent,
    type: WebhookEventType,
    folded: FoldedCaseState,
  ): OutgoingWebhookEvent[] {
    const createdAt = recorded.recordedAt.toISOString();
    const cause = this.causeOf(recorded);
    const data = toCaseView(folded.state);
    const audiences: WebhookAudience[] = [
      { kind: 'payment_app', id: folded.state.facts.paymentAppId },
      { kind: 'bank', id: folded.state.facts.bankCode },
    ];
    return audiences.map((audience) => {
      const id = webhookEventId(recorded.id, audience);
      return { id, audience, type, createdAt, body: JSON.stringify({ id, type, createdAt, data }), cause };
    });
  }

  private eventsOf(recorded: RecordedEvent, type: WebhookEventType, link: FoldedLinkState): OutgoingWebhookEvent[] {
    const createdAt = recorded.recordedAt.toISOString();
    const cause = this.causeOf(recorded);
    const { link: facts } = link.state;
    const audiences: { audience: WebhookAudience; data: unknown }[] = [
      { audience: { kind: 'payment_app', id: facts.paymentAppId }, data: toLinkView(link.state) },
      { audience: { kind: 'bank', id: facts.bankAccount.bankCode }, data: toBankLinkView(link.state) },
    ];
    return audiences.map(({ audience, data }) => {
      const id = webhookEventId(recorded.id, audience);
      return { id, audience, type, createdAt, body: JSON.stringify({ id, type, createdAt, data }), cause };
    });
  }
}

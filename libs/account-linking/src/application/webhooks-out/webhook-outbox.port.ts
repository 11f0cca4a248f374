import type { Checkpoint } from '@lib/event-store/event-store.port';
import type { SqlExecutor } from '@lib/platform/sql/sql-client';
import type { SealedEndpointSecret, WebhookAudience } from '../../domain/webhook-endpoint/webhook-endpoint.events';
import type { RegisteredWebhookEndpoint } from '../../domain/webhook-endpoint/webhook-endpoint.state';
import type { WebhookEventType } from '../../domain/webhook-endpoint/webhook-event-types';
import type { ActorBlockView } from '../ports/actor-blocks.port';
import type { FoldedCaseState } from './folded-case-state';
import type { FoldedDebitState } from './folded-debit-state';
import type { FoldedLinkState } from './folded-link-state';

export const WEBHOOK_OUTBOX = Symbol('WEBHOOK_OUTBOX');

/** The domain event an outgoing event tells of (GoCardless' `parent_event`): investigators follow it back. */
export interface WebhookEventCause {
  eventId: string;
  streamName: string;
  revision: number;
  type: string;
  checkpoint: Checkpoint;
}

/** An event for one audience, as it is sent and listed: `body` is the exact JSON every delivery carries. */
export interface OutgoingWebhookEvent {
  id: string;
  audience: WebhookAudience;
  type: WebhookEventType;
  createdAt: string;
  body: string;
  cause: WebhookEventCause;
}

/** A delivery a worker has taken: what to send where, signed with which secrets. */
export interface ClaimedWebhookDelivery {
  deliveryId: string;
  endpointId: string;
  url: string;
  secrets: SealedEndpointSecret[];
  eventId: string;
  body: string;
  /** 1-based number of the attempt about to be made. */
  attempt: number;
  /** How often this attempt was claimed: above 1, a worker died with it (it may have been sent). */
  claims: number;
  /** Oldest attempt time still pending on this endpoint, for the age metric. */
  createdAt: Date;
}

export interface WebhookAttemptResult {
  deliveryId: string;
  attempt: number;
  status: 'succeeded' | 'failed';
  responseCode: number | null;
  durationMs: number;
  at: Date;
  /** Why it failed (`timeout`, `address_not_allowed`, `http_500`…): never the receiver's body. */
  detail: string | null;
  /** For a failure: when to try again, or undefined when that was the last attempt. */
  retryAt?: Date;
}

/**
 * Events and deliveries to webhook endpoints. The process manager writes in its checkpoint's transaction
 * (one event row per audience, one delivery row per matching endpoint); workers claim deliveries with a
 * lease and record every attempt, so a restart loses none (and may repeat one: at least once).
 */
export interface WebhookOutbox {
  ensureSchema(): Promise<void>;

  endpointStates(tx: SqlExecutor, endpointIds: readonly string[]): Promise<Map<string, RegisteredWebhookEndpoint>>;
  saveEndpoint(tx: SqlExecutor, endpoint: RegisteredWebhookEndpoint, at: Date): Promise<void>;
  /** Deliveries still waiting for an endpoint that is no longer enabled are dropped. */
  cancelPendingDeliveries(tx: SqlExecutor, endpointId: string, at: Date): Promise<void>;

  linkStates(tx: SqlExecutor, linkIds: readonly string[]): Promise<Map<string, FoldedLinkState>>;
  saveLinkStates(tx: SqlExecutor, links: ReadonlyMap<string, FoldedLinkState>): Promise<void>;

  /** The debits folded so far (their app, bank and amount come only with the first event of their stream). */
  debitStates(tx: SqlExecutor, debitIds: readonly string[]): Promise<Map<string, FoldedDebitState>>;
  caseStates(tx: SqlExecutor, caseIds: readonly string[]): Promise<Map<string, FoldedCaseState>>;
  saveCaseStates(tx: SqlExecutor, cases: ReadonlyMap<string, FoldedCaseState>): Promise<void>;
  saveDebitStates(tx: SqlExecutor, debits: ReadonlyMap<string, FoldedDebitState>): Promise<void>;

  /** The actor blocks seen so far (as `GET /v1/admin/actor-blocks` shows them), for telling of their lifts. */
  actorBlocks(tx: SqlExecutor, blockIds: readonly string[]): Promise<Map<string, ActorBlockView>>;
  saveActorBlocks(tx: SqlExecutor, blocks: ReadonlyMap<string, ActorBlockView>): Promise<void>;

  /** Each event (kept once) and a delivery to each enabled endpoint of its audience that takes its type. */
  recordEvents(tx: SqlExecutor, events: readonly OutgoingWebhookEvent[], dueAt: Date): Promise<void>;

  /** Endpoints with a delivery due now, longest waiting first, leaving out those this worker is serving. */
  dueEndpoints(now: Date, limit: number, excluding: readonly string[]): Promise<string[]>;
  /** Takes the endpoint's next due delivery until `claimedUntil`; undefined when none is due. */
  claimNext(endpointId: string, now: Date, claimedUntil: Date): Promise<ClaimedWebhookDelivery | undefined>;
  /**
   * Records an attempt and settles or reschedules its delivery, once (a second report of the same attempt
   * changes nothing). Returns since when the endpoint has failed every delivery, or null after a success.
   */
  recordAttempt(result: WebhookAttemptResult): Promise<{ failingSince: Date | null }>;
  /** Pending deliveries per endpoint and the time the oldest was due, for the age metric. */
  pendingAges(now: Date): Promise<{ endpointId: string; oldestDueAt: Date; pending: number }[]>;
}

export interface EndpointReplay {
  endpointId: string;
  replayId: string;
  since: Date;
  until?: Date;
  at: Date;
}

export interface WebhookEndpointRecord {
  endpointId: string;
  owner: WebhookAudience;
  url: string;
  eventTypes: WebhookEventType[];
  description: string | null;
  status: 'enabled' | 'disabled';
  createdAt: string;
  disabledAt: string | null;
}

export interface WebhookDeliveryAttemptRecord {
  eventId: string;
  attempt: number;
  status: 'succeeded' | 'failed';
  responseCode: number | null;
  durationMs: number;
  at: string;
}

export interface WebhookEventRecord {
  id: string;
  type: WebhookEventType;
  createdAt: string;
  data: unknown;
}

export interface CursorPage<Item> {
  items: Item[];
  nextCursor: string | null;
}

export const WEBHOOK_READS = Symbol('WEBHOOK_READS');

/** What the API reads of webhooks out: the process manager's tables, settled to the caller's writes first. */
export interface WebhookReads {
  settle(atLeast: Checkpoint | undefined, timeoutMs: number): Promise<Checkpoint | undefined>;
  listEndpoints(owner: WebhookAudience): Promise<WebhookEndpointRecord[]>;
  /** Undefined for an unknown, deleted or another audience's endpoint. */
  findEndpoint(owner: WebhookAudience, endpointId: string): Promise<WebhookEndpointRecord | undefined>;
  /** Newest first. Throws `InvalidCursorError` for a cursor it did not hand out. */
  deliveryLog(
    endpointId: string,
    cursor: string | undefined,
    limit: number,
  ): Promise<CursorPage<WebhookDeliveryAttemptRecord>>;
  /** The audience's events after the cursor, oldest first; `nextCursor` always resumes after the last one seen. */
  events(
    audience: WebhookAudience,
    after: string | undefined,
    types: readonly WebhookEventType[],
    limit: number,
  ): Promise<CursorPage<WebhookEventRecord>>;
  /** Queues a new delivery to the endpoint of each of its events in the window; returns how many. */
  replay(replay: EndpointReplay): Promise<number>;
}

import type { Checkpoint } from '@lib/event-store/event-store.port';
import { waitForProjectionCheckpoint } from '@lib/event-store/projections/projection-freshness';
import type { SqlClient, SqlExecutor } from '@lib/platform/sql/sql-client';
import { InvalidCursorError } from '../../application/ports/link-read-model.port';
import type { ActorBlockView } from '../../application/ports/actor-blocks.port';
import type { FoldedCaseState } from '../../application/webhooks-out/folded-case-state';
import type { FoldedDebitState } from '../../application/webhooks-out/folded-debit-state';
import type { FoldedLinkState } from '../../application/webhooks-out/folded-link-state';
import type {
  ClaimedWebhookDelivery,
  CursorPage,
  EndpointReplay,
  OutgoingWebhookEvent,
  WebhookAttemptResult,
  WebhookDeliveryAttemptRecord,
  WebhookEndpointRecord,
  WebhookEventRecord,
  WebhookOutbox,
  WebhookReads,
} from '../../application/webhooks-out/webhook-outbox.port';
import { WebhooksOutProcessManager } from '../../application/webhooks-out/webhooks-out.process-manager';
import type { WebhookAudience } from '../../domain/webhook-endpoint/webhook-endpoint.events';
import type { RegisteredWebhookEndpoint } from '../../domain/webhook-endpoint/webhook-endpoint.state';
import type { WebhookEventType } from '../../domain/webhook-endpoint/webhook-event-types';
import { webhooksOutSchema } from './webhooks-out-schema';

const MAX_CURSOR_LENGTH = 512;

function encodeCursor(value: string | number): string {
  return Buffer.from(JSON.stringify([value]), 'utf8').toString('base64url');
}

function decodeCursor<T extends 'string' | 'number'>(cursor: string, kind: T): T extends 'string' ? string : number {
  const refuse = () => new InvalidCursorError('cursor is not one this service handed out');
  if (cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw refuse();
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw refuse();
  }
  if (!Array.isArray(decoded) || decoded.length !== 1 || typeof decoded[0] !== kind) throw refuse();
  return decoded[0] as T extends 'string' ? string : number;
}

const iso = (value: Date | string | null): string | null => (value === null ? null : new Date(value).toISOString());

interface EndpointRow {
  state: RegisteredWebhookEndpoint;
}

const recordOf = ({ state }: EndpointRow): WebhookEndpointRecord => ({
  endpointId: state.endpointId,
  owner: state.owner,
  url: state.url,
  eventTypes: state.eventTypes,
  description: state.description,
  status: state.status === 'disabled' ? 'disabled' : 'enabled',
  createdAt: state.createdAt,
  disabledAt: state.disabledAt,
});

/** `webhook_*` tables: the outbox of webhooks out and what the API reads of it. */
export class SqlWebhooksOut implements WebhookOutbox, WebhookReads {
  constructor(private readonly sql: SqlClient) {}

  async ensureSchema(): Promise<void> {
    await this.sql.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('kouza-link:webhooks_out'))`);
      for (const statement of webhooksOutSchema.split(';').filter((s) => s.trim() !== '')) await tx.query(statement);
    });
  }

  // ---- the process manager, in its checkpoint's transaction ----

  async endpointStates(
    tx: SqlExecutor,
    endpointIds: readonly string[],
  ): Promise<Map<string, RegisteredWebhookEndpoint>> {
    if (endpointIds.length === 0) return new Map();
    const rows = await tx.query<EndpointRow>('SELECT state FROM webhook_endpoints WHERE id = ANY($1::text[])', [
      endpointIds,
    ]);
    return new Map(rows.map((row) => [row.state.endpointId, row.state]));
  }

  async saveEndpoint(tx: SqlExecutor, endpoint: RegisteredWebhookEndpoint, at: Date): Promise<void> {
    await tx.query(
      `INSERT INTO webhook_endpoints (id, owner_kind, owner_id, status, event_types, created_at, updated_at, state)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8::jsonb)
       ON CONFLICT (id) DO UPDATE SET status = excluded.status, event_types = excluded.event_types,
         updated_at = excluded.updated_at, state = excluded.state`,
      [
        endpoint.endpointId,
        endpoint.owner.kind,
        endpoint.owner.id,
        endpoint.status,
        JSON.stringify(endpoint.eventTypes),
        endpoint.createdAt,
        at,
        JSON.stringify(endpoint),
      ],
    );
  }

  async cancelPendingDeliveries(tx: SqlExecutor, endpointId: string, at: Date): Promise<void> {
    await tx.query(
      `UPDATE webhook_deliveries SET status = 'cancelled', settled_at = $2, claimed_until = NULL
        WHERE endpoint_id = $1 AND status = 'pending'`,
      [endpointId, at],
    );
  }

  linkStates(tx: SqlExecutor, linkIds: readonly string[]): Promise<Map<string, FoldedLinkState>> {
    return readFoldedStates(tx, FOLDED_LINKS, linkIds);
  }

  saveLinkStates(tx: SqlExecutor, links: ReadonlyMap<string, FoldedLinkState>): Promise<void> {
    return saveFoldedStates(tx, FOLDED_LINKS, links);
  }

  debitStates(tx: SqlExecutor, debitIds: readonly string[]): Promise<Map<string, FoldedDebitState>> {
    return readFoldedStates(tx, FOLDED_DEBITS, debitIds);
  }

  saveDebitStates(tx: SqlExecutor, debits: ReadonlyMap<string, FoldedDebitState>): Promise<void> {
    return saveFoldedStates(tx, FOLDED_DEBITS, debits);
  }

  caseStates(tx: SqlExecutor, caseIds: readonly string[]): Promise<Map<string, FoldedCaseState>> {
    return readFoldedStates(tx, FOLDED_CASES, caseIds);
  }

  saveCaseStates(tx: SqlExecutor, cases: ReadonlyMap<string, FoldedCaseState>): Promise<void> {
    return saveFoldedStates(tx, FOLDED_CASES, cases);
  }

  async actorBlocks(tx: SqlExecutor, blockIds: readonly string[]): Promise<Map<string, ActorBlockView>> {
    if (blockIds.length === 0) return new Map();
    const rows = await tx.query<{ block_id: string; view: ActorBlockView }>(
      'SELECT block_id, view FROM webhook_actor_blocks WHERE block_id = ANY($1::text[])',
      [blockIds],
    );
    return new Map(rows.map((row) => [row.block_id, row.view]));
  }

  async saveActorBlocks(tx: SqlExecutor, blocks: ReadonlyMap<string, ActorBlockView>): Promise<void> {
    if (blocks.size === 0) return;
    const rows = [...blocks].map(([block_id, view]) => ({ block_id, view }));
    await tx.query(
      `INSERT INTO webhook_actor_blocks (block_id, view)
       SELECT block_id, view FROM jsonb_to_recordset($1::jsonb) AS r(block_id text, view jsonb)
       ON CONFLICT (block_id) DO UPDATE SET view = excluded.view`,
      [JSON.stringify(rows)],
    );
  }

  async recordEvents(tx: SqlExecutor, events: readonly OutgoingWebhookEvent[], dueAt: Date): Promise<void> {
    if (events.length === 0) return;
    const rows = JSON.stringify(
      events.map((event) => ({
        id: event.id,
        audience_kind: event.audience.kind,
        audience_id: event.audience.id,
        type: event.type,
        created_at: event.createdAt,
        body: event.body,
        source_checkpoint: event.cause.checkpoint,
        cause_event_id: event.cause.eventId,
        cause_stream: event.cause.streamName,
        cause_revision: event.cause.revision,
        cause_type: event.cause.type,
      })),
    );
    // A batch's events in two statements, whatever their number (one event was two statements).
    await tx.query(
      `INSERT INTO webhook_events (id, audience_kind, audience_id, type, created_at, body, source_checkpoint,
         cause_event_id, cause_stream, cause_revision, cause_type)
       SELECT id, audience_kind, audience_id, type, created_at, body, source_checkpoint, cause_event_id, cause_stream,
              cause_revision, cause_type
         FROM jsonb_to_recordset($1::jsonb) AS r(id text, audience_kind text, audience_id text, type text,
              created_at timestamptz, body text, source_checkpoint text, cause_event_id text, cause_stream text,
              cause_revision integer, cause_type text)
       ON CONFLICT (id) DO NOTHING`,
      [rows],
    );
    await tx.query(
      `INSERT INTO webhook_deliveries (id, endpoint_id, event_id, next_attempt_at, created_at)
       SELECT e.id || ':' || r.id, e.id, r.id, $2, $2
         FROM jsonb_to_recordset($1::jsonb) AS r(id text, audience_kind text, audience_id text, type text)
         JOIN webhook_endpoints e ON e.owner_kind = r.audience_kind AND e.owner_id = r.audience_id
        WHERE e.status = 'enabled'
          AND (jsonb_array_length(e.event_types) = 0 OR e.event_types @> jsonb_build_array(r.type))
       ON CONFLICT (id) DO NOTHING`,
      [rows, dueAt],
    );
  }

  // ---- the workers ----

  async dueEndpoints(now: Date, limit: number, excluding: readonly string[]): Promise<string[]> {
    const rows = await this.sql.query<{ endpoint_id: string }>(
      `SELECT endpoint_id FROM webhook_deliveries
        WHERE status = 'pending' AND next_attempt_at <= $1 AND (claimed_until IS NULL OR claimed_until <= $1)
          AND NOT (endpoint_id IN (SELECT jsonb_array_elements_text($3::jsonb)))
        GROUP BY endpoint_id ORDER BY min(next_attempt_at) LIMIT $2`,
      [now, limit, JSON.stringify(excluding)],
    );
    return rows.map((row) => row.endpoint_id);
  }

  async claimNext(endpointId: string, now: Date, claimedUntil: Date): Promise<ClaimedWebhookDelivery | undefined> {
    const [row] = await this.sql.query<{
      id: string;
      endpoint_id: string;
      event_id: string;
      attempts: number;
      claims: number;
      created_at: Date | string;
      body: string;
      state: RegisteredWebhookEndpoint;
    }>(
      `WITH claimed AS (
         UPDATE webhook_deliveries AS d SET claimed_until = $3, claims = d.claims + 1
          WHERE d.id = (
            SELECT pending.id FROM webhook_deliveries pending
              JOIN webhook_events cause ON cause.id = pending.event_id
             WHERE pending.endpoint_id = $1 AND pending.status = 'pending' AND pending.next_attempt_at <= $2
               AND (pending.claimed_until IS NULL OR pending.claimed_until <= $2)
             -- Deliveries queued by one batch share their time: the log's order keeps them in the order they happened.
             ORDER BY pending.next_attempt_at, cause.source_checkpoint, pending.created_at, pending.id
             LIMIT 1
             FOR UPDATE OF pending SKIP LOCKED)
          RETURNING d.id, d.endpoint_id, d.event_id, d.attempts, d.claims, d.created_at)
       SELECT c.*, ev.body, en.state FROM claimed c
         JOIN webhook_events ev ON ev.id = c.event_id
         JOIN webhook_endpoints en ON en.id = c.endpoint_id`,
      [endpointId, now, claimedUntil],
    );
    if (!row) return undefined;
    return {
      deliveryId: row.id,
      endpointId: row.endpoint_id,
      url: row.state.url,
      secrets: row.state.secrets,
      eventId: row.event_id,
      body: row.body,
      attempt: Number(row.attempts) + 1,
      claims: Number(row.claims),
      createdAt: new Date(row.created_at),
    };
  }

  /**
   * One statement (its data-modifying parts commit together): the delivery settled or rescheduled if this attempt
   * is still its next one, the attempt recorded, the endpoint's health moved on. An attempt recorded already (a
   * lease that ran out while it was sent) changes nothing and answers the endpoint's health as it is.
   */
  async recordAttempt(result: WebhookAttemptResult): Promise<{ failingSince: Date | null }> {
    const settled = result.status === 'succeeded' ? 'succeeded' : result.retryAt === undefined ? 'failed' : 'pending';
    const [row] = await this.sql.query<{ recorded: Date | null; updated: boolean; existing: Date | null }>(
      `WITH delivery AS (
         UPDATE webhook_deliveries SET attempts = $2::int, status = $3::text, claimed_until = NULL,
           next_attempt_at = COALESCE($4::timestamptz, next_attempt_at),
           settled_at = CASE WHEN $3::text = 'pending' THEN NULL ELSE $5::timestamptz END
          WHERE id = $1 AND attempts = $2::int - 1 AND status = 'pending'
          RETURNING endpoint_id, event_id
       ), attempt AS (
         INSERT INTO webhook_delivery_attempts (delivery_id, endpoint_id, event_id, attempt, status, response_code,
           duration_ms, at, detail)
         SELECT $1, endpoint_id, event_id, $2::int, $6::text, $7::int, $8::int, $5::timestamptz, $9::text FROM delivery
         ON CONFLICT (delivery_id, attempt) DO NOTHING
       ), health AS (
         INSERT INTO webhook_endpoint_health AS h (endpoint_id, failing_since, last_success_at)
         SELECT endpoint_id, CASE WHEN $6::text = 'succeeded' THEN NULL ELSE $5::timestamptz END,
                CASE WHEN $6::text = 'succeeded' THEN $5::timestamptz END
           FROM delivery
         ON CONFLICT (endpoint_id) DO UPDATE SET
           failing_since = CASE WHEN $6::text = 'succeeded' THEN NULL ELSE COALESCE(h.failing_since, excluded.failing_since) END,
           last_success_at = CASE WHEN $6::text = 'succeeded' THEN excluded.last_success_at ELSE h.last_success_at END
         RETURNING failing_since
       )
       SELECT (SELECT failing_since FROM health) AS recorded, EXISTS (SELECT 1 FROM delivery) AS updated,
              (SELECT h.failing_since FROM webhook_endpoint_health h
                 JOIN webhook_deliveries d ON d.endpoint_id = h.endpoint_id WHERE d.id = $1) AS existing`,
      [
        result.deliveryId,
        result.attempt,
        settled,
        result.retryAt ?? null,
        result.at,
        result.status,
        result.responseCode,
        result.durationMs,
        result.detail,
      ],
    );
    const failingSince = row?.updated ? row.recorded : (row?.existing ?? null);
    return { failingSince: failingSince ? new Date(failingSince) : null };
  }

  async pendingAges(now: Date): Promise<{ endpointId: string; oldestDueAt: Date; pending: number }[]> {
    const rows = await this.sql.query<{ endpoint_id: string; oldest: Date | string; pending: number }>(
      `SELECT endpoint_id, min(created_at) AS oldest, count(*)::int AS pending FROM webhook_deliveries
        WHERE status = 'pending' AND created_at <= $1 GROUP BY endpoint_id`,
      [now],
    );
    return rows.map((row) => ({
      endpointId: row.endpoint_id,
      oldestDueAt: new Date(row.oldest),
      pending: Number(row.pending),
    }));
  }

  // ---- the API ----

  settle(atLeast: Checkpoint | undefined, timeoutMs: number): Promise<Checkpoint | undefined> {
    return waitForProjectionCheckpoint(this.sql, WebhooksOutProcessManager.NAME, atLeast, { timeoutMs });
  }

  async listEndpoints(owner: WebhookAudience): Promise<WebhookEndpointRecord[]> {
    const rows = await this.sql.query<EndpointRow>(
      `SELECT state FROM webhook_endpoints WHERE owner_kind = $1 AND owner_id = $2 AND status <> 'deleted'
        ORDER BY created_at, id LIMIT 1000`,
      [owner.kind, owner.id],
    );
    return rows.map(recordOf);
  }

  async findEndpoint(owner: WebhookAudience, endpointId: string): Promise<WebhookEndpointRecord | undefined> {
    const [row] = await this.sql.query<EndpointRow>(
      `SELECT state FROM webhook_endpoints WHERE id = $1 AND owner_kind = $2 AND owner_id = $3 AND status <> 'deleted'`,
      [endpointId, owner.kind, owner.id],
    );
    return row ? recordOf(row) : undefined;
  }

  async deliveryLog(
    endpointId: string,
    cursor: string | undefined,
    limit: number,
  ): Promise<CursorPage<WebhookDeliveryAttemptRecord>> {
    const before = cursor === undefined ? null : decodeCursor(cursor, 'number');
    const rows = await this.sql.query<{
      seq: string | number;
      event_id: string;
      attempt: number;
      status: 'succeeded' | 'failed';
      response_code: number | null;
      duration_ms: number;
      at: Date | string;
    }>(
      `SELECT seq, event_id, attempt, status, response_code, duration_ms, at FROM webhook_delivery_attempts
        WHERE endpoint_id = $1 AND ($2::bigint IS NULL OR seq < $2::bigint)
        ORDER BY seq DESC LIMIT $3`,
      [endpointId, before, limit + 1],
    );
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map((row) => ({
        eventId: row.event_id,
        attempt: Number(row.attempt),
        status: row.status,
        responseCode: row.response_code === null ? null : Number(row.response_code),
        durationMs: Number(row.duration_ms),
        at: iso(row.at) as string,
      })),
      nextCursor: rows.length > limit && last ? encodeCursor(Number(last.seq)) : null,
    };
  }

  async events(
    audience: WebhookAudience,
    after: string | undefined,
    types: readonly WebhookEventType[],
    limit: number,
  ): Promise<CursorPage<WebhookEventRecord>> {
    const from = after === undefined ? null : decodeCursor(after, 'string');
    const rows = await this.sql.query<{ id: string; body: string; source_checkpoint: string }>(
      `SELECT id, body, source_checkpoint FROM webhook_events
        WHERE audience_kind = $1 AND audience_id = $2 AND ($3::text IS NULL OR source_checkpoint > $3::text)
          AND (jsonb_array_length($4::jsonb) = 0 OR type IN (SELECT jsonb_array_elements_text($4::jsonb)))
        ORDER BY source_checkpoint, id LIMIT $5`,
      [audience.kind, audience.id, from, JSON.stringify(types), limit],
    );
    const last = rows.at(-1);
    return {
      items: rows.map((row) => JSON.parse(row.body) as WebhookEventRecord),
      // A poller keeps the cursor it has when nothing new came.
      nextCursor: last ? encodeCursor(last.source_checkpoint) : (after ?? null),
    };
  }

  async replay({ endpointId, replayId, since, until, at }: EndpointReplay): Promise<number> {
    const rows = await this.sql.query<{ id: string }>(
      `INSERT INTO webhook_deliveries (id, endpoint_id, event_id, next_attempt_at, created_at, replay_id)
       SELECT en.id || ':' || ev.id || ':' || $2, en.id, ev.id, $5, $5, $2
         FROM webhook_endpoints en
         JOIN webhook_events ev ON ev.audience_kind = en.owner_kind AND ev.audience_id = en.owner_id
        WHERE en.id = $1 AND en.status = 'enabled' AND ev.created_at >= $3 AND ($4::timestamptz IS NULL OR ev.created_at <= $4)
          AND (jsonb_array_length(en.event_types) = 0 OR en.event_types @> jsonb_build_array(ev.type))
        ORDER BY ev.source_checkpoint
       ON CONFLICT (id) DO NOTHING
       RETURNING id`,
      [endpointId, replayId, since, until ?? null, at],
    );
    return rows.length;
  }
}

/** A table where the process manager keeps what it folded of one kind of stream: `(<key>, revision, state)`. */
interface FoldedStatesTable {
  table: string;
  key: string;
}

const FOLDED_LINKS: FoldedStatesTable = { table: 'webhook_link_states', key: 'link_id' };
const FOLDED_DEBITS: FoldedStatesTable = { table: 'webhook_debit_states', key: 'debit_id' };
const FOLDED_CASES: FoldedStatesTable = { table: 'webhook_case_states', key: 'case_id' };

async function readFoldedStates<Folded extends { state: unknown; revision: number }>(
  tx: SqlExecutor,
  { table, key }: FoldedStatesTable,
  ids: readonly string[],
): Promise<Map<string, Folded>> {
  if (ids.length === 0) return new Map();
  const rows = await tx.query<{ id: string; revision: number; state: Folded['state'] }>(
    `SELECT ${key} AS id, revision, state FROM ${table} WHERE ${key} = ANY($1::text[])`,
    [ids],
  );
  return new Map(rows.map((row) => [row.id, { state: row.state, revision: Number(row.revision) } as Folded]));
}

async function saveFoldedStates(
  tx: SqlExecutor,
  { table, key }: FoldedStatesTable,
  folded: ReadonlyMap<string, { state: unknown; revision: number }>,
): Promise<void> {
  if (folded.size === 0) return;
  const rows = [...folded].map(([id, { revision, state }]) => ({ id, revision, state }));
  await tx.query(
    `INSERT INTO ${table} (${key}, revision, state)
     SELECT id, revision, state FROM jsonb_to_recordset($1::jsonb) AS r(id text, revision integer, state jsonb)
     ON CONFLICT (${key}) DO UPDATE SET revision = excluded.revision, state = excluded.state`,
    [JSON.stringify(rows)],
  );
}

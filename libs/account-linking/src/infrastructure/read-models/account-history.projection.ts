import type { RecordedEvent } from '@lib/event-store/event-store.port';
import { assertTableName, type RebuildableProjection } from '@lib/event-store/projections/rebuildable-projection';
import type { SqlExecutor } from '@lib/platform/sql/sql-client';
import type { AccountHistoryEntry, LinkAttemptEntry } from '../../application/ports/account-history.port';
import {
  accountTokenOfGuardStream,
  BANK_ACCOUNT_GUARD_STREAM_PREFIX,
  LINK_STREAM_PREFIX,
} from '../../application/link-streams';
import type { BankAccountGuardEvent } from '../../domain/bank-account-guard/bank-account-guard.events';
import type { LinkRequested } from '../../domain/link/link-events';
import { BANK_ACCOUNT_GUARD_EVENT_TYPES, LINK_EVENT_TYPES } from './event-types';
import { foldLinkEvent, isoOf, linkIdOf } from './link-state-fold';
import { lockedSchemaChange } from './locked-schema-change';

/** A row of `rm_account_history` as the projection works on it. */
export interface AccountHistoryRow {
  entry_id: string;
  account_token: string;
  kind: AccountHistoryEntry['kind'];
  link_id: string | null;
  payment_app_id: string | null;
  attempted_at: string;
  link_status: string | null;
  link_revision: number | null;
  link_state: LinkAttemptEntry['link'] | null;
  refusal: LinkAttemptEntry['refusal'] | null;
  finished: LinkAttemptEntry['finished'] | null;
  failure: LinkAttemptEntry['failure'] | null;
  locked_until: string | null;
}

const COLUMNS = [
  'entry_id',
  'account_token',
  'kind',
  'link_id',
  'payment_app_id',
  'attempted_at',
  'link_status',
  'link_revision',
  'link_state',
  'refusal',
  'finished',
  'failure',
  'locked_until',
] as const satisfies readonly (keyof AccountHistoryRow)[];

const COLUMN_TYPES = `entry_id text, account_token text, kind text, link_id text, payment_app_id text,
  attempted_at timestamptz, link_status text, link_revision integer, link_state jsonb, refusal jsonb,
  finished jsonb, failure jsonb, locked_until timestamptz`;

/**
 * Read model `rm_account_history`: every attempt ever made to link a bank account, keyed by its token, from
 * the link streams (links that started, and how they ended) and the account's guard stream (requests refused
 * before any link existed, attempts finished, lockouts). One row per attempt (its link id) or lockout.
 */
export class AccountHistoryProjection implements RebuildableProjection {
  static readonly NAME = 'account-history';
  readonly name = AccountHistoryProjection.NAME;
  readonly filter = {
    streamPrefixes: [LINK_STREAM_PREFIX, BANK_ACCOUNT_GUARD_STREAM_PREFIX],
    eventTypes: [...LINK_EVENT_TYPES, ...BANK_ACCOUNT_GUARD_EVENT_TYPES],
  };
  readonly tables: readonly string[];
  private readonly table: string;

  constructor(private readonly suffix = '') {
    this.table = assertTableName(`rm_account_history${suffix}`);
    this.tables = [this.table];
  }

  withTableSuffix(suffix: string): AccountHistoryProjection {
    return new AccountHistoryProjection(`${this.suffix}${suffix}`);
  }

  async setUp(db: SqlExecutor): Promise<void> {
    const t = this.table;
    await db.query(
      lockedSchemaChange(
        t,
        `CREATE TABLE IF NOT EXISTS ${t} (
          entry_id       text        PRIMARY KEY,
          account_token  text        NOT NULL,
          kind           text        NOT NULL,
          link_id        text,
          payment_app_id text,
          attempted_at   timestamptz NOT NULL,
          link_status    text,
          link_revision  integer,
          link_state     jsonb,
          refusal        jsonb,
          finished       jsonb,
          failure        jsonb,
          locked_until   timestamptz
        );
        CREATE INDEX IF NOT EXISTS ${t}_account_idx ON ${t} (account_token, attempted_at, entry_id);`,
      ),
    );
  }

  async apply(events: readonly RecordedEvent[], tx: SqlExecutor): Promise<void> {
    const ids = [...new Set(events.map(entryIdOf).filter((id): id is string => id !== undefined))];
    if (ids.length === 0) return;
    const rows = new Map<string, AccountHistoryRow>();
    const stored = await tx.query<AccountHistoryRow & { attempted_at: Date; locked_until: Date | null }>(
      `SELECT ${COLUMNS.join(', ')} FROM ${this.table} WHERE entry_id = ANY($1::text[])`,
      [ids],
    );
    for (const row of stored) {
      rows.set(row.entry_id, {
        ...row,
        link_revision: row.link_revision === null ? null : Number(row.link_revision),
        attempted_at: isoOf(row.attempted_at) as string,
        locked_until: isoOf(row.locked_until) ?? null,
      });
    }
    const changed = new Set<string>();
    for (const event of events) {
      const row = event.streamName.startsWith(BANK_ACCOUNT_GUARD_STREAM_PREFIX)
        ? guardEventInto(rows, event)
        : linkEventInto(rows, event);
      if (row) {
        rows.set(row.entry_id, row);
        changed.add(row.entry_id);
      }
    }
    if (changed.size === 0) return;
    await tx.query(
      `INSERT INTO ${this.table} (${COLUMNS.join(', ')})
       SELECT ${COLUMNS.join(', ')} FROM jsonb_to_recordset($1::jsonb) AS r(${COLUMN_TYPES})
       ON CONFLICT (entry_id) DO UPDATE SET ${COLUMNS.filter((column) => column !== 'entry_id')
         .map((column) => `${column} = excluded.${column}`)
         .join(', ')}`,
      [JSON.stringify([...changed].map((id) => rows.get(id)))],
    );
  }

  async reset(tx: SqlExecutor): Promise<void> {
    await tx.query(`TRUNCATE ${this.table}`);
  }
}

const lockEntryId = (event: RecordedEvent) => `lock:${event.id}`;
/** One entry however often the bank reports it: the first report's. */
const closureEntryId = (accountToken: string) => `closed:${accountToken}`;

function entryIdOf(event: RecordedEvent): string | undefined {
  if (event.type === 'AccountLocked') return lockEntryId(event);
  if (event.type === 'BankAccountClosed') {
    const accountToken = accountTokenOfGuardStream(event.streamName);
    return accountToken === undefined ? undefined : closureEntryId(accountToken);
  }
  return linkIdOf(event);
}

const earlier = (a: string, b: string) => (Date.parse(a) <= Date.parse(b) ? a : b);

function attempt(
  existing: AccountHistoryRow | undefined,
  linkId: string,
  accountToken: string,
  at: string,
): AccountHistoryRow {
  return existing
    ? { ...existing, attempted_at: earlier(existing.attempted_at, at) }
    : {
        entry_id: linkId,
        account_token: accountToken,
        kind: 'link_attempt',
        link_id: linkId,
        payment_app_id: null,
        attempted_at: at,
        link_status: null,
        link_revision: null,
        link_state: null,
        refusal: null,
        finished: null,
        failure: null,
        locked_until: null,
      };
}

function linkEventInto(rows: Map<string, AccountHistoryRow>, event: RecordedEvent): AccountHistoryRow | undefined {
  const linkId = linkIdOf(event);
  if (linkId === undefined) return undefined;
  const existing = rows.get(linkId);
  const known = existing?.link_state
    ? { state: existing.link_state, revision: existing.link_revision ?? -1, updatedAt: existing.attempted_at }
    : undefined;
  const folded = foldLinkEvent(known, event);
  if (!folded) return undefined;
  const { link } = folded.state;
  const requestedAt = event.type === 'LinkRequested' ? (event.data as LinkRequested['data']).at : link.requestedAt;
  return {
    ...attempt(existing, linkId, link.bankAccount.accountToken, requestedAt),
    payment_app_id: link.paymentAppId,
    link_status: folded.state.status,
    link_revision: folded.revision,
    link_state: folded.state,
  };
}

function guardEventInto(rows: Map<string, AccountHistoryRow>, event: RecordedEvent): AccountHistoryRow | undefined {
  const accountToken = accountTokenOfGuardStream(event.streamName);
  if (accountToken === undefined) return undefined;
  const guardEvent = { type: event.type, data: event.data } as BankAccountGuardEvent;
  switch (guardEvent.type) {
    case 'LinkAttemptRegistered': {
      const { linkId, paymentAppId, at } = guardEvent.data;
      const row = attempt(rows.get(linkId), linkId, accountToken, at);
      return { ...row, payment_app_id: row.payment_app_id ?? paymentAppId };
    }
    case 'LinkRequestRefused': {
      const { linkId, paymentAppId, reason, at, lockedUntil, closedAt, openLinkId } = guardEvent.data;
      const row = attempt(rows.get(linkId), linkId, accountToken, at);
      return {
        ...row,
        payment_app_id: row.payment_app_id ?? paymentAppId,
        refusal: {
          reason,
          at,
          ...(lockedUntil !== undefined ? { lockedUntil } : {}),
          ...(closedAt !== undefined ? { closedAt } : {}),
          ...(openLinkId !== undefined ? { openLinkId } : {}),
        },
      };
    }
    case 'LinkAttemptFinished': {
      const { linkId, outcome, at } = guardEvent.data;
      return { ...attempt(rows.get(linkId), linkId, accountToken, at), finished: { outcome, at } };
    }
    case 'AccountLinkingFailureRecorded': {
      const { linkId, reason, at } = guardEvent.data;
      return { ...attempt(rows.get(linkId), linkId, accountToken, at), failure: { reason, at } };
    }
    case 'AccountLocked':
      return {
        ...attempt(undefined, lockEntryId(event), accountToken, guardEvent.data.at),
        kind: 'account_locked',
        link_id: null,
        locked_until: guardEvent.data.until,
      };
    case 'BankAccountClosed': {
      const entryId = closureEntryId(accountToken);
      if (rows.get(entryId)) return undefined;
      return {
        ...attempt(undefined, entryId, accountToken, guardEvent.data.at),
        kind: 'account_closed',
        link_id: null,
      };
    }
    default:
      return undefined;
  }
}

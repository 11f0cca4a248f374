import type { RecordedEvent } from '@lib/event-store/event-store.port';
import { assertTableName, type RebuildableProjection } from '@lib/event-store/projections/rebuildable-projection';
import type { SqlExecutor } from '@lib/platform/sql/sql-client';
import { LINK_STREAM_PREFIX } from '../../application/link-streams';
import { toLinkView } from '../../application/link-view';
import { LINK_EVENT_TYPES } from './event-types';
import { type FoldedLink, foldLinkEvent, isoOf, linkIdOf } from './link-state-fold';
import { lockedSchemaChange } from './locked-schema-change';

/** Read model `rm_links` (one row per link) and `rm_link_counts` (links per bank and status). */
export class LinksProjection implements RebuildableProjection {
  static readonly NAME = 'links';
  readonly name = LinksProjection.NAME;
  readonly filter = { streamPrefixes: [LINK_STREAM_PREFIX], eventTypes: LINK_EVENT_TYPES };
  readonly tables: readonly string[];
  private readonly links: string;
  private readonly counts: string;

  constructor(private readonly suffix = '') {
    this.links = assertTableName(`rm_links${suffix}`);
    this.counts = assertTableName(`rm_link_counts${suffix}`);
    this.tables = [this.links, this.counts];
  }

  withTableSuffix(suffix: string): LinksProjection {
    return new LinksProjection(`${this.suffix}${suffix}`);
  }

  async setUp(db: SqlExecutor): Promise<void> {
    const t = this.links;
    // Every listing is newest first by (created_at, id), the keyset of its cursor.
    const indexes = [
      ['app_created_idx', 'payment_app_id, created_at DESC, id DESC'],
      ['app_reference_idx', 'payment_app_id, customer_reference, created_at DESC, id DESC'],
      ['app_status_idx', 'payment_app_id, status, created_at DESC, id DESC'],
      ['bank_created_idx', 'bank_code, created_at DESC, id DESC'],
      ['bank_status_idx', 'bank_code, status, created_at DESC, id DESC'],
      ['account_token_idx', 'account_token, created_at DESC, id DESC'],
      ['device_idx', 'device_id, created_at DESC, id DESC'],
    ].map(([name, columns]) => `CREATE INDEX IF NOT EXISTS ${t}_${name} ON ${t} (${columns});`);
    await db.query(
      lockedSchemaChange(
        t,
        `CREATE TABLE IF NOT EXISTS ${t} (
          id                 text        PRIMARY KEY,
          payment_app_id     text        NOT NULL,
          customer_reference text        NOT NULL,
          status             text        NOT NULL,
          bank_code          text        NOT NULL,
          branch_code        text        NOT NULL,
          account_type       text        NOT NULL,
          account_last4      text        NOT NULL,
          account_token      text        NOT NULL,
          device_id          text        NOT NULL,
          created_at         timestamptz NOT NULL,
          expires_at         timestamptz NOT NULL,
          updated_at         timestamptz NOT NULL,
          activated_at       timestamptz,
          reason             text,
          reason_detail      text,
          revision           integer     NOT NULL,
          state              jsonb       NOT NULL
        );
        ${indexes.join('\n')}
        CREATE TABLE IF NOT EXISTS ${this.counts} (
          bank_code text   NOT NULL,
          status    text   NOT NULL,
          links     bigint NOT NULL,
          PRIMARY KEY (bank_code, status)
        );`,
      ),
    );
  }

  async apply(events: readonly RecordedEvent[], tx: SqlExecutor): Promise<void> {
    const ids = [...new Set(events.map(linkIdOf).filter((id): id is string => id !== undefined))];
    if (ids.length === 0) return;
    const known = new Map<string, FoldedLink>();
    const rows = await tx.query<{ id: string; revision: number; state: FoldedLink['state']; updated_at: Date }>(
      `SELECT id, revision, state, updated_at FROM ${this.links} WHERE id = ANY($1::text[])`,
      [ids],
    );
    for (const row of rows) {
      known.set(row.id, { state: row.state, revision: Number(row.revision), updatedAt: isoOf(row.updated_at) ?? '' });
    }
    const before = new Map([...known].map(([id, link]) => [id, link.state.status]));

    const changed = new Set<string>();
    for (const event of events) {
      const id = linkIdOf(event);
      if (id === undefined) continue;
      const folded = foldLinkEvent(known.get(id), event);
      if (!folded) continue;
      known.set(id, folded);
      changed.add(id);
    }
    if (changed.size === 0) return;

    const upserts = [...changed].map((id) => rowOf(known.get(id) as FoldedLink));
    await tx.query(
      `INSERT INTO ${this.links} (${COLUMNS.join(', ')})
       SELECT ${COLUMNS.join(', ')} FROM jsonb_to_recordset($1::jsonb) AS r(${COLUMN_TYPES})
       ON CONFLICT (id) DO UPDATE SET ${COLUMNS.filter((column) => column !== 'id')
         .map((column) => `${column} = excluded.${column}`)
         .join(', ')}`,
      [JSON.stringify(upserts)],
    );

    const deltas = new Map<string, { bank_code: string; status: string; delta: number }>();
    const count = (bankCode: string, status: string, delta: number) => {
      const key = `${bankCode}|${status}`;
      const entry = deltas.get(key) ?? { bank_code: bankCode, status, delta: 0 };
      entry.delta += delta;
      deltas.set(key, entry);
    };
    for (const id of changed) {
      const { state } = known.get(id) as FoldedLink;
      const previous = before.get(id);
      if (previous === state.status) continue;
      if (previous !== undefined) count(state.link.bankAccount.bankCode, previous, -1);
      count(state.link.bankAccount.bankCode, state.status, 1);
    }
    const moves = [...deltas.values()].filter((entry) => entry.delta !== 0);
    if (moves.length === 0) return;
    await tx.query(
      `INSERT INTO ${this.counts} AS c (bank_code, status, links)
       SELECT bank_code, status, delta FROM jsonb_to_recordset($1::jsonb) AS r(bank_code text, status text, delta bigint)
       ON CONFLICT (bank_code, status) DO UPDATE SET links = c.links + excluded.links`,
      [JSON.stringify(moves)],
    );
    // No zero rows: live (many small batches) and a rebuild (few large ones) end with the same rows.
    await tx.query(`DELETE FROM ${this.counts} WHERE links = 0`);
  }

  async reset(tx: SqlExecutor): Promise<void> {
    await tx.query(`TRUNCATE ${this.links}, ${this.counts}`);
  }
}

const COLUMNS = [
  'id',
  'payment_app_id',
  'customer_reference',
  'status',
  'bank_code',
  'branch_code',
  'account_type',
  'account_last4',
  'account_token',
  'device_id',
  'created_at',
  'expires_at',
  'updated_at',
  'activated_at',
  'reason',
  'reason_detail',
  'revision',
  'state',
] as const;

const COLUMN_TYPES = `id text, payment_app_id text, customer_reference text, status text, bank_code text,
  branch_code text, account_type text, account_last4 text, account_token text, device_id text,
  created_at timestamptz, expires_at timestamptz, updated_at timestamptz, activated_at timestamptz,
  reason text, reason_detail text, revision integer, state jsonb`;

function rowOf({ state, revision, updatedAt }: FoldedLink): Record<(typeof COLUMNS)[number], unknown> {
  const { link } = state;
  const view = toLinkView(state);
  return {
    id: link.linkId,
    payment_app_id: link.paymentAppId,
    customer_reference: link.customerReference,
    status: state.status,
    bank_code: link.bankAccount.bankCode,
    branch_code: link.bankAccount.branchCode,
    account_type: link.bankAccount.type,
    account_last4: link.bankAccount.last4,
    account_token: link.bankAccount.accountToken,
    device_id: link.deviceId,
    created_at: link.requestedAt,
    expires_at: link.expiresAt,
    updated_at: updatedAt,
    activated_at: view.activatedAt ?? null,
    reason: view.reason ?? null,
    reason_detail: view.reasonDetail ?? null,
    revision,
    state,
  };
}

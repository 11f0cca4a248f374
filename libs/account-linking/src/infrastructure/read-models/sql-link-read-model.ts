import type { Checkpoint } from '@lib/event-store/event-store.port';
import { waitForProjectionCheckpoint } from '@lib/event-store/projections/projection-freshness';
import type { SqlExecutor } from '@lib/platform/sql/sql-client';
import type {
  ExistingLinkStatus,
  LinkReadModel,
  LinkSelection,
  Page,
  PageRequest,
} from '../../application/ports/link-read-model.port';
import type { ExistingLinkState } from '../../domain/link/link-state';
import { decodeCursor, encodeCursor } from './keyset-cursor';
import { LinksProjection } from './links.projection';

const SELECTION_COLUMNS: Record<keyof LinkSelection, string> = {
  paymentAppId: 'payment_app_id',
  bankCode: 'bank_code',
  customerReference: 'customer_reference',
  status: 'status',
  accountToken: 'account_token',
  deviceId: 'device_id',
};

const selectionConditions = (selection: LinkSelection): { params: unknown[]; conditions: string[] } => {
  const params: unknown[] = [];
  const conditions: string[] = [];
  for (const [field, column] of Object.entries(SELECTION_COLUMNS) as [keyof LinkSelection, string][]) {
    const value = selection[field];
    if (value === undefined) continue;
    params.push(value);
    conditions.push(`${column} = $${params.length}`);
  }
  return { params, conditions };
};

/** `rm_links` and `rm_link_counts`, as `LinksProjection` writes them. */
export class SqlLinkReadModel implements LinkReadModel {
  constructor(private readonly sql: SqlExecutor) {}

  settle(atLeast: Checkpoint | undefined, timeoutMs: number): Promise<Checkpoint | undefined> {
    return waitForProjectionCheckpoint(this.sql, LinksProjection.NAME, atLeast, { timeoutMs });
  }

  async find(linkId: string): Promise<ExistingLinkState | undefined> {
    const [row] = await this.sql.query<{ state: ExistingLinkState }>('SELECT state FROM rm_links WHERE id = $1', [
      linkId,
    ]);
    return row?.state;
  }

  async select(selection: LinkSelection, page: PageRequest): Promise<Page<ExistingLinkState>> {
    const { params, conditions } = selectionConditions(selection);
    if (page.cursor !== undefined) {
      const after = decodeCursor(page.cursor);
      params.push(after.createdAt, after.id);
      conditions.push(`(created_at, id) < ($${params.length - 1}::timestamptz, $${params.length})`);
    }
    params.push(page.limit + 1);
    const rows = await this.sql.query<{ state: ExistingLinkState }>(
      `SELECT state FROM rm_links ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''}
        ORDER BY created_at DESC, id DESC LIMIT $${params.length}`,
      params,
    );
    const items = rows.slice(0, page.limit).map((row) => row.state);
    const last = items.at(-1);
    return {
      items,
      nextCursor:
        rows.length > page.limit && last
          ? encodeCursor({ createdAt: new Date(last.link.requestedAt).toISOString(), id: last.link.linkId })
          : null,
    };
  }

  async count(selection: LinkSelection): Promise<number> {
    const { params, conditions } = selectionConditions(selection);
    const [row] = await this.sql.query<{ links: string | number }>(
      `SELECT count(*) AS links FROM rm_links ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''}`,
      params,
    );
    return Number(row?.links ?? 0);
  }

  async countsByStatus(bankCode: string): Promise<Partial<Record<ExistingLinkStatus, number>>> {
    const rows = await this.sql.query<{ status: ExistingLinkStatus; links: string | number }>(
      'SELECT status, links FROM rm_link_counts WHERE bank_code = $1 ORDER BY status',
      [bankCode],
    );
    return Object.fromEntries(rows.map((row) => [row.status, Number(row.links)]));
  }
}

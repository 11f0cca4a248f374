import type { Checkpoint } from '@lib/event-store/event-store.port';
import { waitForProjectionCheckpoint } from '@lib/event-store/projections/projection-freshness';
import type { SqlExecutor } from '@lib/platform/sql/sql-client';
import type { DebitReadModel } from '../../application/ports/debit-read-model.port';
import type { Page, PageRequest } from '../../application/ports/link-read-model.port';
import type { ExistingDebitState } from '../../domain/debit/debit.state';
import { DebitsProjection } from './debits.projection';
import { decodeCursor, encodeCursor } from './keyset-cursor';

const createdAtOf = (state: ExistingDebitState) => (state.status === 'refused' ? state.refusedAt : state.authorisedAt);

/** `rm_debits`, as `DebitsProjection` writes it. */
export class SqlDebitReadModel implements DebitReadModel {
  constructor(private readonly sql: SqlExecutor) {}

  settle(atLeast: Checkpoint | undefined, timeoutMs: number): Promise<Checkpoint | undefined> {
    return waitForProjectionCheckpoint(this.sql, DebitsProjection.NAME, atLeast, { timeoutMs });
  }

  async ofLink(linkId: string, page: PageRequest): Promise<Page<ExistingDebitState>> {
    const params: unknown[] = [linkId];
    let after = '';
    if (page.cursor !== undefined) {
      const keyset = decodeCursor(page.cursor);
      params.push(keyset.createdAt, keyset.id);
      after = 'AND (created_at, id) < ($2::timestamptz, $3)';
    }
    params.push(page.limit + 1);
    const rows = await this.sql.query<{ state: ExistingDebitState }>(
      `SELECT state FROM rm_debits WHERE link_id = $1 ${after}
        ORDER BY created_at DESC, id DESC LIMIT $${params.length}`,
      params,
    );
    const items = rows.slice(0, page.limit).map((row) => row.state);
    const last = items.at(-1);
    return {
      items,
      nextCursor:
        rows.length > page.limit && last
          ? encodeCursor({ createdAt: new Date(createdAtOf(last)).toISOString(), id: last.debit.debitId })
          : null,
    };
  }

  async idsOfLink(linkId: string): Promise<string[]> {
    const rows = await this.sql.query<{ id: string }>(
      'SELECT id FROM rm_debits WHERE link_id = $1 ORDER BY created_at, id',
      [linkId],
    );
    return rows.map((row) => row.id);
  }
}

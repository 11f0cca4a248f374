import type { Checkpoint } from '@lib/event-store/event-store.port';
import { waitForProjectionCheckpoint } from '@lib/event-store/projections/projection-freshness';
import type { SqlExecutor } from '@lib/platform/sql/sql-client';
import type { CaseView } from '../../application/cases/case-view';
import type { CaseFilter, CaseOwner, CaseReadModel } from '../../application/ports/case-read-model.port';
import type { Page, PageRequest } from '../../application/ports/link-read-model.port';
import { CasesProjection } from './cases.projection';
import { decodeCursor, encodeCursor } from './keyset-cursor';

/** `rm_cases`, as `CasesProjection` writes it. */
export class SqlCaseReadModel implements CaseReadModel {
  constructor(private readonly sql: SqlExecutor) {}

  settle(atLeast: Checkpoint | undefined, timeoutMs: number): Promise<Checkpoint | undefined> {
    return waitForProjectionCheckpoint(this.sql, CasesProjection.NAME, atLeast, { timeoutMs });
  }

  async list(owner: CaseOwner, filter: CaseFilter, page: PageRequest): Promise<Page<CaseView>> {
    const params: unknown[] = [];
    const where: string[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (owner.kind === 'payment_app') where.push(`payment_app_id = ${param(owner.id)}`);
    if (owner.kind === 'bank') where.push(`bank_code = ${param(owner.id)}`);
    if (filter.status !== undefined) where.push(`status = ${param(filter.status)}`);
    if (filter.linkId !== undefined) where.push(`link_id = ${param(filter.linkId)}`);
    if (page.cursor !== undefined) {
      const keyset = decodeCursor(page.cursor);
      where.push(`(opened_at, id) < (${param(keyset.createdAt)}::timestamptz, ${param(keyset.id)})`);
    }
    const limit = param(page.limit + 1);
    const rows = await this.sql.query<{ view: CaseView }>(
      `SELECT view FROM rm_cases ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY opened_at DESC, id DESC LIMIT ${limit}`,
      params,
    );
    const items = rows.slice(0, page.limit).map((row) => row.view);
    const last = items.at(-1);
    return {
      items,
      nextCursor:
        rows.length > page.limit && last
          ? encodeCursor({ createdAt: new Date(last.openedAt).toISOString(), id: last.id })
          : null,
    };
  }
}

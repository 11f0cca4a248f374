import type { Checkpoint } from '@lib/event-store/event-store.port';
import { waitForProjectionCheckpoint } from '@lib/event-store/projections/projection-freshness';
import type { SqlExecutor } from '@lib/platform/sql/sql-client';
import type { AccountHistory, AccountHistoryEntry } from '../../application/ports/account-history.port';
import { AccountHistoryProjection, type AccountHistoryRow } from './account-history.projection';
import { isoOf } from './link-state-fold';

/** `rm_account_history`, as `AccountHistoryProjection` writes it. */
export class SqlAccountHistory implements AccountHistory {
  constructor(private readonly sql: SqlExecutor) {}

  settle(atLeast: Checkpoint | undefined, timeoutMs: number): Promise<Checkpoint | undefined> {
    return waitForProjectionCheckpoint(this.sql, AccountHistoryProjection.NAME, atLeast, { timeoutMs });
  }

  async entriesFor(accountToken: string): Promise<AccountHistoryEntry[]> {
    const rows = await this.sql.query<AccountHistoryRow & { attempted_at: Date; locked_until: Date | null }>(
      `SELECT * FROM rm_account_history WHERE account_token = $1 ORDER BY attempted_at, entry_id`,
      [accountToken],
    );
    return rows.map((row): AccountHistoryEntry => {
      const attemptedAt = isoOf(row.attempted_at) as string;
      if (row.kind === 'account_locked') {
        return { kind: 'account_locked', at: attemptedAt, lockedUntil: isoOf(row.locked_until) as string };
      }
      if (row.kind === 'account_closed') return { kind: 'account_closed', at: attemptedAt };
      return {
        kind: 'link_attempt',
        linkId: row.link_id ?? row.entry_id,
        paymentAppId: row.payment_app_id ?? '',
        attemptedAt,
        ...(row.link_state ? { link: row.link_state } : {}),
        ...(row.refusal ? { refusal: row.refusal } : {}),
        ...(row.failure ? { failure: row.failure } : {}),
        ...(row.finished ? { finished: row.finished } : {}),
      };
    });
  }
}

import type { RecordedEvent } from '@lib/event-store/event-store.port';
import { assertTableName, type RebuildableProjection } from '@lib/event-store/projections/rebuildable-projection';
import type { SqlExecutor } from '@lib/platform/sql/sql-client';
import { DEBIT_STREAM_PREFIX } from '../../application/debits/debit-streams';
import { evolveDebit } from '../../domain/debit/debit.decider';
import type { DebitEvent, DebitEventType } from '../../domain/debit/debit.events';
import { type DebitState, initialDebitState } from '../../domain/debit/debit.state';
import { foldIntoRows } from './folded-rows';
import { lockedSchemaChange } from './locked-schema-change';

const DEBIT_EVENT_TYPE_SET: Record<DebitEventType, true> = {
  DebitAuthorised: true,
  DebitRefused: true,
  DebitSettled: true,
  DebitFailed: true,
  DebitExpired: true,
};

/** Read model `rm_debits`: one row per debit (authorised or refused), folded with the domain's own `evolve`. */
export class DebitsProjection implements RebuildableProjection {
  static readonly NAME = 'debits';
  readonly name = DebitsProjection.NAME;
  readonly filter = { streamPrefixes: [DEBIT_STREAM_PREFIX], eventTypes: Object.keys(DEBIT_EVENT_TYPE_SET) };
  readonly tables: readonly string[];
  private readonly table: string;

  constructor(private readonly suffix = '') {
    this.table = assertTableName(`rm_debits${suffix}`);
    this.tables = [this.table];
  }

  withTableSuffix(suffix: string): DebitsProjection {
    return new DebitsProjection(`${this.suffix}${suffix}`);
  }

  async setUp(db: SqlExecutor): Promise<void> {
    const t = this.table;
    await db.query(
      lockedSchemaChange(
        t,
        `CREATE TABLE IF NOT EXISTS ${t} (
          id             text        PRIMARY KEY,
          link_id        text        NOT NULL,
          payment_app_id text        NOT NULL,
          bank_code      text        NOT NULL,
          status         text        NOT NULL,
          amount         bigint      NOT NULL,
          created_at     timestamptz NOT NULL,
          revision       integer     NOT NULL,
          state          jsonb       NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ${t}_link_idx ON ${t} (link_id, created_at DESC, id DESC);`,
      ),
    );
  }

  async apply(events: readonly RecordedEvent[], tx: SqlExecutor): Promise<void> {
    const changed = await foldIntoRows<DebitState, DebitEvent>(tx, this.table, events, {
      idOf: (event) => (event.data as { debitId: string }).debitId,
      evolve: evolveDebit,
      initialState: initialDebitState,
    });
    if (changed.size === 0) return;
    const upserts = [...changed].map(([id, { state, revision }]) => {
      return {
        id,
        link_id: state.debit.linkId,
        payment_app_id: state.debit.paymentAppId,
        bank_code: state.debit.bankCode,
        status: state.status,
        amount: state.debit.amount,
        created_at: state.status === 'refused' ? state.refusedAt : state.authorisedAt,
        revision,
        state,
      };
    });
    await tx.query(
      `INSERT INTO ${this.table} (id, link_id, payment_app_id, bank_code, status, amount, created_at, revision, state)
       SELECT id, link_id, payment_app_id, bank_code, status, amount, created_at, revision, state
         FROM jsonb_to_recordset($1::jsonb) AS r(id text, link_id text, payment_app_id text, bank_code text,
              status text, amount bigint, created_at timestamptz, revision integer, state jsonb)
       ON CONFLICT (id) DO UPDATE SET status = excluded.status, revision = excluded.revision, state = excluded.state`,
      [JSON.stringify(upserts)],
    );
  }

  async reset(tx: SqlExecutor): Promise<void> {
    await tx.query(`TRUNCATE ${this.table}`);
  }
}

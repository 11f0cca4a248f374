import type { RecordedEvent } from '@lib/event-store/event-store.port';
import { assertTableName, type RebuildableProjection } from '@lib/event-store/projections/rebuildable-projection';
import type { SqlExecutor } from '@lib/platform/sql/sql-client';
import { CASE_STREAM_PREFIX } from '../../application/cases/case-streams';
import { toCaseView } from '../../application/cases/case-view';
import { evolveCase } from '../../domain/case/case.decider';
import type { CaseEvent, CaseEventType } from '../../domain/case/case.events';
import { type CaseState, initialCaseState } from '../../domain/case/case.state';
import { foldIntoRows } from './folded-rows';
import { lockedSchemaChange } from './locked-schema-change';

const CASE_EVENT_TYPE_SET: Record<CaseEventType, true> = {
  CaseOpened: true,
  CaseNoteAdded: true,
  CaseDecisionProposed: true,
  CaseDecisionAgreed: true,
  CaseDecidedByOperator: true,
  CaseBecameOverdue: true,
};

/**
 * Read model `rm_cases`: one row per complaint case, folded with the domain's own `evolve`. It keeps the state
 * (sealed texts stay sealed) and the view without personal data, which lists answer with.
 */
export class CasesProjection implements RebuildableProjection {
  static readonly NAME = 'cases';
  readonly name = CasesProjection.NAME;
  readonly filter = { streamPrefixes: [CASE_STREAM_PREFIX], eventTypes: Object.keys(CASE_EVENT_TYPE_SET) };
  readonly tables: readonly string[];
  private readonly table: string;

  constructor(private readonly suffix = '') {
    this.table = assertTableName(`rm_cases${suffix}`);
    this.tables = [this.table];
  }

  withTableSuffix(suffix: string): CasesProjection {
    return new CasesProjection(`${this.suffix}${suffix}`);
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
          opened_at      timestamptz NOT NULL,
          revision       integer     NOT NULL,
          state          jsonb       NOT NULL,
          view           jsonb       NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ${t}_app_idx ON ${t} (payment_app_id, opened_at DESC, id DESC);
        CREATE INDEX IF NOT EXISTS ${t}_bank_idx ON ${t} (bank_code, opened_at DESC, id DESC);`,
      ),
    );
  }

  async apply(events: readonly RecordedEvent[], tx: SqlExecutor): Promise<void> {
    const changed = await foldIntoRows<CaseState, CaseEvent>(tx, this.table, events, {
      idOf: (event) => (event.data as { caseId: string }).caseId,
      evolve: evolveCase,
      initialState: initialCaseState,
    });
    if (changed.size === 0) return;
    const upserts = [...changed].map(([id, { state, revision }]) => {
      return {
        id,
        link_id: state.facts.linkId,
        payment_app_id: state.facts.paymentAppId,
        bank_code: state.facts.bankCode,
        status: state.status,
        opened_at: state.openedAt,
        revision,
        state,
        view: toCaseView(state),
      };
    });
    await tx.query(
      `INSERT INTO ${this.table} (id, link_id, payment_app_id, bank_code, status, opened_at, revision, state, view)
       SELECT id, link_id, payment_app_id, bank_code, status, opened_at, revision, state, view
         FROM jsonb_to_recordset($1::jsonb) AS r(id text, link_id text, payment_app_id text, bank_code text,
              status text, opened_at timestamptz, revision integer, state jsonb, view jsonb)
       ON CONFLICT (id) DO UPDATE SET status = excluded.status, revision = excluded.revision,
              state = excluded.state, view = excluded.view`,
      [JSON.stringify(upserts)],
    );
  }

  async reset(tx: SqlExecutor): Promise<void> {
    await tx.query(`TRUNCATE ${this.table}`);
  }
}

import type { RecordedEvent } from '@lib/event-store/event-store.port';
import { assertTableName, type RebuildableProjection } from '@lib/event-store/projections/rebuildable-projection';
import type { SqlExecutor } from '@lib/platform/sql/sql-client';
import { ACTOR_STREAM_PREFIX } from '../../application/link-streams';
import type { ActorBlocked, ActorBlockExpired, ActorBlockLifted } from '../../domain/actor/actor-defence.events';
import { lockedSchemaChange } from './locked-schema-change';

/** Read model `rm_actor_blocks`: one row per block of any actor, with its lift or the end its timer recorded. */
export class ActorBlocksProjection implements RebuildableProjection {
  static readonly NAME = 'actor-blocks';
  readonly name = ActorBlocksProjection.NAME;
  readonly filter = {
    streamPrefixes: [ACTOR_STREAM_PREFIX],
    eventTypes: ['ActorBlocked', 'ActorBlockLifted', 'ActorBlockExpired'],
  };
  readonly tables: readonly string[];
  private readonly table: string;

  constructor(private readonly suffix = '') {
    this.table = assertTableName(`rm_actor_blocks${suffix}`);
    this.tables = [this.table];
  }

  withTableSuffix(suffix: string): ActorBlocksProjection {
    return new ActorBlocksProjection(`${this.suffix}${suffix}`);
  }

  async setUp(db: SqlExecutor): Promise<void> {
    const t = this.table;
    await db.query(
      lockedSchemaChange(
        t,
        `CREATE TABLE IF NOT EXISTS ${t} (
          block_id       text        PRIMARY KEY,
          stream_name    text        NOT NULL,
          kind           text        NOT NULL,
          payment_app_id text        NOT NULL,
          actor_key      text        NOT NULL,
          blocked_at     timestamptz NOT NULL,
          until          timestamptz NOT NULL,
          reason         text        NOT NULL,
          accounts_tried integer     NOT NULL,
          lifted_at      timestamptz,
          lift_reason    text,
          expired_at     timestamptz
        );
        ALTER TABLE ${t} ADD COLUMN IF NOT EXISTS expired_at timestamptz;
        CREATE INDEX IF NOT EXISTS ${t}_blocked_idx ON ${t} (blocked_at DESC, block_id DESC);`,
      ),
    );
  }

  async apply(events: readonly RecordedEvent[], tx: SqlExecutor): Promise<void> {
    for (const event of events) {
      if (event.type === 'ActorBlocked') {
        const { blockId, actor, at, until, reason, accountsTried } = event.data as ActorBlocked['data'];
        await tx.query(
          `INSERT INTO ${this.table} (block_id, stream_name, kind, payment_app_id, actor_key, blocked_at, until, reason, accounts_tried)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (block_id) DO NOTHING`,
          [blockId, event.streamName, actor.kind, actor.paymentAppId, actor.key, at, until, reason, accountsTried],
        );
      } else if (event.type === 'ActorBlockExpired') {
        const { blockId, at } = event.data as ActorBlockExpired['data'];
        await tx.query(`UPDATE ${this.table} SET expired_at = $2 WHERE block_id = $1`, [blockId, at]);
      } else {
        const { blockId, at, reason } = event.data as ActorBlockLifted['data'];
        await tx.query(`UPDATE ${this.table} SET lifted_at = $2, lift_reason = $3 WHERE block_id = $1`, [
          blockId,
          at,
          reason,
        ]);
      }
    }
  }

  async reset(tx: SqlExecutor): Promise<void> {
    await tx.query(`TRUNCATE ${this.table}`);
  }
}

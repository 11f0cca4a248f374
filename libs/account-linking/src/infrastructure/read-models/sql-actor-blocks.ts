import type { Checkpoint } from '@lib/event-store/event-store.port';
import { waitForProjectionCheckpoint } from '@lib/event-store/projections/projection-freshness';
import type { SqlExecutor } from '@lib/platform/sql/sql-client';
import type { ActorBlocks, ActorBlockView } from '../../application/ports/actor-blocks.port';
import type { ActorKind } from '../../domain/actor/actor';
import { ActorBlocksProjection } from './actor-blocks.projection';
import { isoOf } from './link-state-fold';

interface ActorBlockRow {
  block_id: string;
  stream_name: string;
  kind: ActorKind;
  payment_app_id: string;
  actor_key: string;
  blocked_at: Date;
  until: Date;
  reason: string;
  accounts_tried: number;
  lifted_at: Date | null;
  lift_reason: string | null;
  expired_at: Date | null;
}

const viewOf = (row: ActorBlockRow): ActorBlockView => ({
  id: row.block_id,
  actor: { kind: row.kind, paymentAppId: row.payment_app_id, key: row.actor_key },
  blockedAt: isoOf(row.blocked_at) as string,
  until: isoOf(row.until) as string,
  reason: row.reason,
  accountsTried: Number(row.accounts_tried),
  ...(row.lifted_at ? { liftedAt: isoOf(row.lifted_at) as string } : {}),
  ...(row.lift_reason ? { liftReason: row.lift_reason } : {}),
  ...(row.expired_at ? { expiredAt: isoOf(row.expired_at) as string } : {}),
});

/** `rm_actor_blocks`, as `ActorBlocksProjection` writes it. */
export class SqlActorBlocks implements ActorBlocks {
  constructor(private readonly sql: SqlExecutor) {}

  settle(atLeast: Checkpoint | undefined, timeoutMs: number): Promise<Checkpoint | undefined> {
    return waitForProjectionCheckpoint(this.sql, ActorBlocksProjection.NAME, atLeast, { timeoutMs });
  }

  async list(filter: { activeAt?: Date }): Promise<ActorBlockView[]> {
    const rows = filter.activeAt
      ? await this.sql.query<ActorBlockRow>(
          `SELECT * FROM rm_actor_blocks WHERE lifted_at IS NULL AND until > $1 ORDER BY blocked_at DESC, block_id DESC LIMIT 1000`,
          [filter.activeAt],
        )
      : await this.sql.query<ActorBlockRow>(
          'SELECT * FROM rm_actor_blocks ORDER BY blocked_at DESC, block_id DESC LIMIT 1000',
        );
    return rows.map(viewOf);
  }

  async find(blockId: string): Promise<{ block: ActorBlockView; stream: string } | undefined> {
    const [row] = await this.sql.query<ActorBlockRow>('SELECT * FROM rm_actor_blocks WHERE block_id = $1', [blockId]);
    return row ? { block: viewOf(row), stream: row.stream_name } : undefined;
  }
}

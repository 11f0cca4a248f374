import type { Checkpoint } from '@lib/event-store/event-store.port';
import type { ActorIdentity } from '../../domain/actor/actor';

export const ACTOR_BLOCKS = Symbol('ACTOR_BLOCKS');

/** A block as operators see it (API.md `GET /v1/admin/actor-blocks`). */
export interface ActorBlockView {
  id: string;
  actor: ActorIdentity;
  blockedAt: string;
  until: string;
  reason: string;
  accountsTried: number;
  liftedAt?: string;
  liftReason?: string;
  /** When the block's timer recorded that it ran out. */
  expiredAt?: string;
}

/** The blocks every actor stream recorded, and the stream each lives on. */
export interface ActorBlocks {
  settle(atLeast: Checkpoint | undefined, timeoutMs: number): Promise<Checkpoint | undefined>;
  /** Newest first; `activeAt`: only blocks neither lifted nor run out then. */
  list(filter: { activeAt?: Date }): Promise<ActorBlockView[]>;
  find(blockId: string): Promise<{ block: ActorBlockView; stream: string } | undefined>;
}

import { Query } from '@nestjs/cqrs';
import type { ActorBlockView } from '../../ports/actor-blocks.port';

/** Operators: every block, or only those in force now. */
export class ListActorBlocksQuery extends Query<ActorBlockView[]> {
  constructor(readonly activeOnly: boolean) {
    super();
  }
}

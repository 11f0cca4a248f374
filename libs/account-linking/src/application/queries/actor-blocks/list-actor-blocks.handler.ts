import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ACTOR_BLOCKS, type ActorBlocks, type ActorBlockView } from '../../ports/actor-blocks.port';
import { CLOCK, type Clock } from '../../ports/clock.port';
import { settleForReader } from '../freshness/fresh';
import { WrittenCheckpoints } from '../freshness/written-checkpoints';
import { ListActorBlocksQuery } from './list-actor-blocks.query';

@QueryHandler(ListActorBlocksQuery)
export class ListActorBlocksHandler implements IQueryHandler<ListActorBlocksQuery> {
  constructor(
    @Inject(ACTOR_BLOCKS) private readonly blocks: ActorBlocks,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly writes: WrittenCheckpoints,
  ) {}

  async execute({ activeOnly }: ListActorBlocksQuery): Promise<ActorBlockView[]> {
    await settleForReader(this.blocks, this.writes, 'all');
    return this.blocks.list(activeOnly ? { activeAt: this.clock.now() } : {});
  }
}

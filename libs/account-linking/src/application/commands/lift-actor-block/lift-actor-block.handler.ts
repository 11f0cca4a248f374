import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DomainError } from '../../../domain/domain-error';
import { ActorDefences } from '../../actor-defences/actor-defences';
import { ACTOR_BLOCKS, type ActorBlocks, type ActorBlockView } from '../../ports/actor-blocks.port';
import { CLOCK, type Clock } from '../../ports/clock.port';
import { READ_MODEL_WAIT_MS } from '../../queries/freshness/fresh';
import { WrittenCheckpoints } from '../../queries/freshness/written-checkpoints';
import { LiftActorBlockCommand } from './lift-actor-block.command';

/** Finds the block's actor stream in the read model, then lets the actor's decider lift it (once). */
@CommandHandler(LiftActorBlockCommand)
export class LiftActorBlockHandler implements ICommandHandler<LiftActorBlockCommand> {
  constructor(
    @Inject(ACTOR_BLOCKS) private readonly blocks: ActorBlocks,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly actors: ActorDefences,
    private readonly writes: WrittenCheckpoints,
  ) {}

  async execute({ blockId, reason, metadata }: LiftActorBlockCommand): Promise<ActorBlockView> {
    await this.blocks.settle(this.writes.requiredBy('all'), READ_MODEL_WAIT_MS);
    const found = await this.blocks.find(blockId);
    if (!found) throw new DomainError('actor_block_not_found', `No block ${blockId}`);
    const now = this.clock.now().toISOString();
    const { newEvents, append } = await this.actors.decide(
      found.stream,
      { type: 'LiftActorBlock', data: { blockId, now, reason } },
      metadata,
    );
    if (append) this.writes.record(append.checkpoint);
    const lifted = newEvents.find((event) => event.type === 'ActorBlockLifted');
    if (!lifted) return found.block;
    return { ...found.block, liftedAt: now, liftReason: reason };
  }
}

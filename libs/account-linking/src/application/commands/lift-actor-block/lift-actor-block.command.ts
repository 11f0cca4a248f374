import { Command } from '@nestjs/cqrs';
import type { EventMetadata } from '@lib/event-store/event-store.port';
import type { ActorBlockView } from '../../ports/actor-blocks.port';

/** An operator lifts an actor's block (R8), with a reason; recorded on the actor's stream. */
export class LiftActorBlockCommand extends Command<ActorBlockView> {
  constructor(
    readonly blockId: string,
    readonly reason: string,
    readonly metadata: EventMetadata,
  ) {
    super();
  }
}

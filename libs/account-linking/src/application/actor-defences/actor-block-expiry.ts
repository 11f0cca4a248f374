import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EventMetadata } from '@lib/event-store/event-store.port';
import { claimAndRun, retryAfterClaims, retryLater } from '@lib/platform/resilience/claimed-work';
import { DomainError } from '../../domain/domain-error';
import {
  ACTOR_BLOCK_TIMERS,
  type ActorBlockTimers,
  type ClaimedActorBlockTimer,
} from '../ports/actor-block-timers.port';
import { CLOCK, type Clock } from '../ports/clock.port';
import { LINK_TIMER_SETTINGS, type LinkTimerSettings } from '../link-deadlines/link-timer-settings';
import { ActorDefences } from './actor-defences';

/**
 * Fires the timers of actor blocks that ran out: records `ActorBlockExpired` on the actor's stream, then marks
 * the timer fired. A crash in between fires it again after the claim; the decider records the end once.
 */
@Injectable()
export class ActorBlockExpiry {
  private readonly logger = new Logger('ActorBlockTimers');

  constructor(
    @Inject(ACTOR_BLOCK_TIMERS) private readonly timers: ActorBlockTimers,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LINK_TIMER_SETTINGS) private readonly settings: LinkTimerSettings,
    private readonly actors: ActorDefences,
  ) {}

  /** Fires every block timer due now; resolves with how many it claimed. */
  async fireDue(): Promise<number> {
    return claimAndRun(
      this.clock.now(),
      this.settings,
      (now, claimedUntil, limit) => this.timers.claimDue(now, claimedUntil, limit),
      (timer) => this.fire(timer),
      retryLater(
        this.logger,
        () => this.clock.now(),
        (timer) => `The end of block ${timer.blockId} was not recorded`,
        (timer, retryAt) => this.timers.release(timer, retryAt),
      ),
    );
  }

  private async fire(timer: ClaimedActorBlockTimer): Promise<void> {
    const now = this.clock.now().toISOString();
    const metadata: EventMetadata = {
      actor: { type: 'system', id: 'actor-block-timer' },
      correlationId: `timer:actor-block:${timer.blockId}`,
      causationId: `timer:actor-block:${timer.blockId}`,
      occurredAt: now,
    };
    let outcome: string;
    try {
      const { newEvents } = await this.actors.decide(
        timer.stream,
        { type: 'ExpireActorBlock', data: { blockId: timer.blockId, now } },
        metadata,
      );
      outcome = newEvents.length > 0 ? 'expired' : 'ended already (lifted, or recorded)';
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      // The deciding clock is behind the timer's: try again shortly.
      if (error.code === 'actor_block_not_yet_over') return this.timers.release(timer, this.retryAt(timer));
      outcome = `refused: ${error.code}`;
    }
    await this.timers.markFired(timer, this.clock.now(), outcome);
  }

  private retryAt(timer: ClaimedActorBlockTimer): Date {
    return retryAfterClaims(this.clock.now(), timer.claims);
  }
}

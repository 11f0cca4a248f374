import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EventMetadata } from '@lib/event-store/event-store.port';
import { claimAndRun, retryAfterClaims, retryLater } from '@lib/platform/resilience/claimed-work';
import { DomainError } from '../../domain/domain-error';
import { LINK_TIMER_SETTINGS, type LinkTimerSettings } from '../link-deadlines/link-timer-settings';
import { CLOCK, type Clock } from '../ports/clock.port';
import { type ClaimedKeyedTimer, DEBIT_EXPIRY_TIMERS, type KeyedTimers } from '../ports/keyed-timers.port';
import { DebitRecords } from './debit-records';

/**
 * Fires the timers of authorisations the bank never reported: records `DebitExpired` on the debit's stream
 * (which the debits process manager then releases from the link's totals), then marks the timer fired. A crash
 * in between fires it again after the claim; the decider records the expiry once.
 */
@Injectable()
export class DebitExpiry {
  private readonly logger = new Logger('DebitTimers');

  constructor(
    @Inject(DEBIT_EXPIRY_TIMERS) private readonly timers: KeyedTimers,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LINK_TIMER_SETTINGS) private readonly settings: LinkTimerSettings,
    private readonly records: DebitRecords,
  ) {}

  /** Fires every authorisation timer due now; resolves with how many it claimed. */
  async fireDue(): Promise<number> {
    return claimAndRun(
      this.clock.now(),
      this.settings,
      (now, claimedUntil, limit) => this.timers.claimDue(now, claimedUntil, limit),
      (timer) => this.fire(timer),
      retryLater(
        this.logger,
        () => this.clock.now(),
        (timer) => `The expiry of debit ${timer.key} was not recorded`,
        (timer, retryAt) => this.timers.release(timer.key, retryAt),
      ),
    );
  }

  private async fire(timer: ClaimedKeyedTimer): Promise<void> {
    const now = this.clock.now().toISOString();
    const metadata: EventMetadata = {
      actor: { type: 'system', id: 'debit-timer' },
      correlationId: `timer:debit:${timer.key}`,
      causationId: `timer:debit:${timer.key}`,
      occurredAt: now,
    };
    let outcome: string;
    try {
      const { newEvents } = await this.records.decide(timer.key, { type: 'ExpireDebit', data: { now } }, metadata);
      outcome = newEvents.length > 0 ? 'expired' : 'reported already';
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      // The deciding clock is behind the timer's: try again shortly.
      if (error.code === 'debit_not_yet_expired') return this.timers.release(timer.key, this.retryAt(timer));
      outcome = `refused: ${error.code}`;
    }
    await this.timers.markFired(timer.key, this.clock.now(), outcome);
  }

  private retryAt(timer: ClaimedKeyedTimer): Date {
    return retryAfterClaims(this.clock.now(), timer.claims);
  }
}

import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EventMetadata } from '@lib/event-store/event-store.port';
import { retryAfterClaims, runClaimedWork } from '@lib/platform/resilience/claimed-work';
import { DomainError } from '../../domain/domain-error';
import { LINK_TIMER_SETTINGS, type LinkTimerSettings } from '../link-deadlines/link-timer-settings';
import { CLOCK, type Clock } from '../ports/clock.port';
import { CASE_OVERDUE_TIMERS, type ClaimedKeyedTimer, type KeyedTimers } from '../ports/keyed-timers.port';
import { ComplaintCases } from './complaint-cases';

/**
 * Fires the `respondBy` timers of cases still undecided: records `CaseBecameOverdue` on the case's stream (the
 * webhooks-out process manager tells both parties `case.updated`), then marks the timer fired. A crash in
 * between fires it again after the claim; the decider records it once.
 */
@Injectable()
export class CaseOverdue {
  private readonly logger = new Logger('CaseTimers');

  constructor(
    @Inject(CASE_OVERDUE_TIMERS) private readonly timers: KeyedTimers,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LINK_TIMER_SETTINGS) private readonly settings: LinkTimerSettings,
    private readonly cases: ComplaintCases,
  ) {}

  async fireDue(): Promise<number> {
    const now = this.clock.now();
    const claimed = await this.timers.claimDue(
      now,
      new Date(now.getTime() + this.settings.claimTtlMs),
      this.settings.batchSize,
    );
    return runClaimedWork(
      claimed,
      (timer) => this.fire(timer),
      async (timer, error) => {
        const what = error instanceof Error ? error.name : 'unknown error';
        this.logger.error(`The deadline of case ${timer.key} was not recorded: ${what}; it is retried`);
        await this.timers.release(timer.key, retryAfterClaims(this.clock.now(), timer.claims)).catch(() => undefined);
      },
    );
  }

  private async fire(timer: ClaimedKeyedTimer): Promise<void> {
    const metadata: EventMetadata = {
      actor: { type: 'system', id: 'case-timer' },
      correlationId: `timer:case:${timer.key}`,
      causationId: `timer:case:${timer.key}`,
      occurredAt: this.clock.now().toISOString(),
    };
    let outcome: string;
    try {
      outcome = (await this.cases.markOverdue(timer.key, metadata)) > 0 ? 'overdue' : 'decided already';
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      if (error.code === 'case_not_yet_overdue') {
        return this.timers.release(timer.key, retryAfterClaims(this.clock.now(), timer.claims));
      }
      outcome = `refused: ${error.code}`;
    }
    await this.timers.markFired(timer.key, this.clock.now(), outcome);
  }
}

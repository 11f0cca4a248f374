import { Inject, Injectable, Logger } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { EventMetadata } from '@lib/event-store/event-store.port';
import { claimAndRun, retryAfterClaims, retryLater } from '@lib/platform/resilience/claimed-work';
import { DomainError } from '../../domain/domain-error';
import { DriveLinkCommand, type DrivenLinkCommand } from '../commands/drive-link/drive-link.command';
import { CLOCK, type Clock } from '../ports/clock.port';
import { type ClaimedLinkTimer, LINK_TIMERS, type LinkTimerKind, type LinkTimers } from '../ports/link-timers.port';
import { DebitRecords } from '../debits/debit-records';
import { LINK_TIMER_SETTINGS, type LinkTimerSettings } from './link-timer-settings';

/** The domain said "too early": the deciding clock is behind the timer's; try again shortly. */
const NOT_YET = new Set(['link_not_yet_expired', 'cooling_off_not_over', 'link_not_dormant']);

const TIMER_ACTORS: Record<LinkTimerKind, string> = {
  expire: 'link-expiry-timer',
  activate: 'cooling-off-timer',
  dormant: 'link-dormancy-timer',
};

/**
 * Fires due link timers: sends Expire or Activate to the link and marks the timer fired only once the
 * command went through or the link refused it for good (it moved on). A crash in between leaves the timer
 * claimed; it fires again after the claim, and the domain ignores a second Expire or Activate.
 */
@Injectable()
export class LinkTimerFiring {
  private readonly logger = new Logger('LinkTimers');

  constructor(
    @Inject(LINK_TIMERS) private readonly timers: LinkTimers,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LINK_TIMER_SETTINGS) private readonly settings: LinkTimerSettings,
    private readonly commands: CommandBus,
    private readonly debits: DebitRecords,
  ) {}

  /** Fires every timer due now; resolves with how many it claimed. */
  async fireDue(): Promise<number> {
    return claimAndRun(
      this.clock.now(),
      this.settings,
      (now, claimedUntil, limit) => this.timers.claimDue(now, claimedUntil, limit),
      (timer) => this.fire(timer),
      retryLater(
        this.logger,
        () => this.clock.now(),
        (timer) => `Timer ${timer.kind} of link ${timer.linkId} did not fire`,
        (timer, retryAt) => this.timers.release(timer, retryAt),
      ),
    );
  }

  private async fire(timer: ClaimedLinkTimer): Promise<void> {
    const now = this.clock.now().toISOString();
    const lastDebitAuthorisedAt =
      timer.kind === 'dormant' ? await this.debits.lastAuthorisedAt(timer.linkId) : undefined;
    const command = this.commandFor(timer.kind, now, lastDebitAuthorisedAt);
    const metadata: EventMetadata = {
      actor: { type: 'system', id: TIMER_ACTORS[timer.kind] },
      correlationId: `timer:${timer.kind}:${timer.linkId}`,
      causationId: `timer:${timer.kind}:${timer.linkId}`,
      occurredAt: now,
    };
    let outcome: string;
    try {
      const link = await this.commands.execute(new DriveLinkCommand(timer.linkId, command, metadata));
      outcome = `fired; the link is ${link.status}`;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      if (NOT_YET.has(error.code)) return this.timers.release(timer, this.retryAt(timer, lastDebitAuthorisedAt));
      outcome = `refused: ${error.code}`;
    }
    await this.timers.markFired(timer, this.clock.now(), outcome);
  }

  private commandFor(kind: LinkTimerKind, now: string, lastDebitAuthorisedAt?: string): DrivenLinkCommand {
    switch (kind) {
      case 'expire':
        return { type: 'Expire', data: { now } };
      case 'activate':
        return { type: 'Activate', data: { now } };
      case 'dormant':
        return {
          type: 'ExpireDormant',
          data: {
            now,
            dormancyDays: this.settings.dormancyDays,
            ...(lastDebitAuthorisedAt ? { lastDebitAuthorisedAt } : {}),
          },
        };
    }
  }

  /**
   * A link used since its dormancy timer was set is dormant only a full period after that last use: the timer
   * waits till then (each authorised debit moves the link's dormancy without a write of its own). Otherwise
   * the deciding clock is behind the timer's: soon.
   */
  private retryAt(timer: ClaimedLinkTimer, lastDebitAuthorisedAt?: string): Date {
    const soon = retryAfterClaims(this.clock.now(), timer.claims);
    if (timer.kind !== 'dormant' || lastDebitAuthorisedAt === undefined) return soon;
    const dormantFrom = Date.parse(lastDebitAuthorisedAt) + this.settings.dormancyDays * 86_400_000;
    return new Date(Math.max(dormantFrom, soon.getTime()));
  }
}

import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { NotificationDispatcher } from '@lib/account-linking/application/customer-notification/notification-dispatcher';
import { ActorBlockExpiry } from '@lib/account-linking/application/actor-defences/actor-block-expiry';
import { CaseOverdue } from '@lib/account-linking/application/cases/case-overdue';
import { DebitExpiry } from '@lib/account-linking/application/debits/debit-expiry';
import { LinkTimerFiring } from '@lib/account-linking/application/link-deadlines/link-timer-firing';
import { PolicyReplayRunner } from '@lib/account-linking/application/policy-replay/policy-replay-runner';
import { WORK_KINDS } from '@lib/account-linking/application/work-kinds';
import { PollingLoop } from '@lib/platform/resilience/polling-loop';
import { WORK_SIGNALS, type WorkSignals } from '@lib/platform/resilience/work-signals';

export const POLL_INTERVAL_MS = Symbol('POLL_INTERVAL_MS');

/**
 * Polls the durable work the process managers recorded: due link timers, ends of actor blocks, due customer
 * notifications, policy replays.
 * One loop each, so a slow mail server never holds up an expiry. Every worker may poll: rows are claimed.
 * The notifications' loop is also woken as soon as a batch queued one (WorkSignals).
 */
@Injectable()
export class DueWorkPollers implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('DueWork');
  private readonly loops: PollingLoop[];

  constructor(
    timers: LinkTimerFiring,
    notifications: NotificationDispatcher,
    blockEnds: ActorBlockExpiry,
    debitEnds: DebitExpiry,
    caseDeadlines: CaseOverdue,
    policyReplays: PolicyReplayRunner,
    @Inject(POLL_INTERVAL_MS) intervalMs: number,
    @Inject(WORK_SIGNALS) signals: WorkSignals,
  ) {
    const onError = (what: string) => (error: unknown) =>
      this.logger.error(`Polling ${what} failed (${error instanceof Error ? error.name : 'error'}); trying again`);
    this.loops = [
      new PollingLoop(async () => (await timers.fireDue()) > 0, { intervalMs, onError: onError('link timers') }),
      new PollingLoop(async () => (await blockEnds.fireDue()) > 0, { intervalMs, onError: onError('actor blocks') }),
      new PollingLoop(async () => (await debitEnds.fireDue()) > 0, {
        intervalMs,
        onError: onError('debit authorisations'),
      }),
      new PollingLoop(async () => (await caseDeadlines.fireDue()) > 0, {
        intervalMs,
        onError: onError('case deadlines'),
      }),
      // A replay running here when the process stops keeps its lease until it lapses; the next claim resumes it.
      new PollingLoop(async () => (await policyReplays.runNext()) > 0, {
        intervalMs,
        onError: onError('policy replays'),
      }),
    ];
    const notifying = new PollingLoop(async () => (await notifications.dispatchDue()) > 0, {
      intervalMs,
      onError: onError('customer notifications'),
    });
    // Queued by the process manager's batch just committed: sent now, not at the next poll.
    signals.on(WORK_KINDS.customerNotifications, () => notifying.poke());
    this.loops.push(notifying);
  }

  onApplicationBootstrap(): void {
    for (const loop of this.loops) loop.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.loops.map((loop) => loop.stop()));
  }
}

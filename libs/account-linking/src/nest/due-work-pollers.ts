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
import { PollingLoop } from '@lib/platform/resilience/polling-loop';

export const POLL_INTERVAL_MS = Symbol('POLL_INTERVAL_MS');

/**
 * Polls the durable work the process managers recorded: due link timers, ends of actor blocks, due customer
 * notifications, policy replays.
 * One loop each, so a slow mail server never holds up an expiry. Every worker may poll: rows are claimed.
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
      new PollingLoop(async () => (await notifications.dispatchDue()) > 0, {
        intervalMs,
        onError: onError('customer notifications'),
      }),
    ];
  }

  onApplicationBootstrap(): void {
    for (const loop of this.loops) loop.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.loops.map((loop) => loop.stop()));
  }
}

import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { LinkNoticeDispatcher } from '@lib/account-linking/application/customer-notification/link-notice-dispatcher';
import { WORK_KINDS } from '@lib/account-linking/application/work-kinds';
import { PollingLoop } from '@lib/platform/resilience/polling-loop';
import { WORK_SIGNALS, type WorkSignals } from '@lib/platform/resilience/work-signals';
import { POLL_INTERVAL_MS } from './due-work-pollers';

/** Polls the link notices due (a re-bound device, R9), on a loop of its own beside the link notifications'. */
@Injectable()
export class LinkNoticePoller implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('DueWork');
  private readonly loop: PollingLoop;

  constructor(
    notices: LinkNoticeDispatcher,
    @Inject(POLL_INTERVAL_MS) intervalMs: number,
    @Inject(WORK_SIGNALS) signals: WorkSignals,
  ) {
    this.loop = new PollingLoop(async () => (await notices.dispatchDue()) > 0, {
      intervalMs,
      onError: (error) =>
        this.logger.error(
          `Polling link notices failed (${error instanceof Error ? error.name : 'error'}); trying again`,
        ),
    });
    signals.on(WORK_KINDS.linkNotices, () => this.loop.poke());
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }
}

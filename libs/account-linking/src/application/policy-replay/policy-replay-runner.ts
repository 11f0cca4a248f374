import { Inject, Injectable, Logger } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@lib/event-store/event-store.port';
import { recordedLinkFacts, wouldFail } from '../../domain/policies/policy-replay';
import { LINK_TIMER_SETTINGS, type LinkTimerSettings } from '../link-deadlines/link-timer-settings';
import { linkStream } from '../link-streams';
import { CLOCK, type Clock } from '../ports/clock.port';
import { LINK_READ_MODEL, type LinkReadModel } from '../ports/link-read-model.port';
import {
  POLICY_REPLAYS,
  type PolicyReplayItem,
  type PolicyReplayJob,
  type PolicyReplays,
} from '../ports/policy-replays.port';

export const POLICY_REPLAY_PAGE_SIZE = 100;
/** A replay that failed on this many claims running is marked failed rather than tried again. */
export const POLICY_REPLAY_MAX_CLAIMS = 3;

/**
 * Runs policy replays: claims a job with a lease, pages through the links read model for each status,
 * reads each link's stream and judges its recorded facts with `wouldFail`. After each page it saves its
 * position, progress and the failing links, and extends the lease; a worker that stops mid-replay lets the
 * lease lapse and the next claim resumes from the last page saved. It never writes to a link's stream.
 */
@Injectable()
export class PolicyReplayRunner {
  private readonly logger = new Logger('PolicyReplay');

  constructor(
    @Inject(POLICY_REPLAYS) private readonly replays: PolicyReplays,
    @Inject(LINK_READ_MODEL) private readonly links: LinkReadModel,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LINK_TIMER_SETTINGS) private readonly settings: LinkTimerSettings,
  ) {}

  /** Runs the next claimable replay to its end (or until its lease is lost); resolves with how many it claimed. */
  async runNext(): Promise<number> {
    const job = await this.replays.claimNext(this.clock.now(), this.leaseEnd());
    if (!job) return 0;
    try {
      await this.run(job);
    } catch (error) {
      const name = error instanceof Error ? error.name : 'error';
      if (job.claims >= POLICY_REPLAY_MAX_CLAIMS) {
        this.logger.error(`Policy replay ${job.id} failed on ${job.claims} claims (${name}); marked failed`);
        await this.replays.finish(job, 'failed', this.clock.now(), `the replay failed (${name})`);
      } else {
        // Left running: the lease lapses and a later claim resumes from the last page saved.
        this.logger.warn(`Policy replay ${job.id} stopped (${name}); it resumes when its lease lapses`);
      }
    }
    return 1;
  }

  private async run(job: PolicyReplayJob): Promise<void> {
    let { statusIndex, cursor } = job.position;
    let { linksChecked } = job.progress;
    let linksTotal = job.progress.linksTotal;
    if (linksTotal === null) {
      const counts = await Promise.all(job.statuses.map((status) => this.links.count({ status })));
      linksTotal = counts.reduce((sum, count) => sum + count, 0);
      if (
        !(await this.replays.savePage(
          job,
          { position: job.position, progress: { linksChecked, linksTotal }, items: [] },
          this.leaseEnd(),
        ))
      ) {
        return;
      }
    }
    while (statusIndex < job.statuses.length) {
      const page = await this.links.select(
        { status: job.statuses[statusIndex] },
        { limit: POLICY_REPLAY_PAGE_SIZE, ...(cursor !== null ? { cursor } : {}) },
      );
      const items: PolicyReplayItem[] = [];
      for (const link of page.items) {
        const facts = recordedLinkFacts(await this.store.readStream(linkStream(link.link.linkId)));
        if (!facts) continue;
        const codes = wouldFail(facts, job.policy);
        if (codes.length > 0) items.push({ linkId: facts.linkId, wouldFail: codes });
      }
      linksChecked += page.items.length;
      if (page.nextCursor === null) {
        statusIndex += 1;
        cursor = null;
      } else {
        cursor = page.nextCursor;
      }
      // A link that changed status since it was counted may be met twice or not at all: the total stays a count.
      linksTotal = Math.max(linksTotal, linksChecked);
      const saved = await this.replays.savePage(
        job,
        { position: { statusIndex, cursor }, progress: { linksChecked, linksTotal }, items },
        this.leaseEnd(),
      );
      if (!saved) {
        this.logger.warn(`Policy replay ${job.id}: its lease was lost to another worker; leaving it to that one`);
        return;
      }
    }
    await this.replays.finish(job, 'done', this.clock.now());
  }

  private leaseEnd(): Date {
    return new Date(this.clock.now().getTime() + this.settings.claimTtlMs);
  }
}

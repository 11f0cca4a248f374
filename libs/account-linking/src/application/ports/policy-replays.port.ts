import type { PolicyReplayCode, ReplayPolicy } from '../../domain/policies/policy-replay';
import type { ExistingLinkStatus } from './link-read-model.port';

export const POLICY_REPLAYS = Symbol('POLICY_REPLAYS');

export type PolicyReplayStatus = 'queued' | 'running' | 'done' | 'failed';

export interface PolicyReplayItem {
  linkId: string;
  wouldFail: PolicyReplayCode[];
}

export interface PolicyReplayProgress {
  linksChecked: number;
  /** Known once a worker has started the replay. */
  linksTotal: number | null;
}

/** Where the replay stands: which status of its list it pages through, and the cursor of the next page. */
export interface PolicyReplayPosition {
  statusIndex: number;
  cursor: string | null;
}

/** A worker's hold on a job: a later claim (its lease lapsed) makes this one's writes no-ops. */
export interface PolicyReplayClaim {
  id: string;
  claims: number;
}

export interface PolicyReplayJob {
  id: string;
  policy: ReplayPolicy;
  statuses: ExistingLinkStatus[];
  status: PolicyReplayStatus;
  progress: PolicyReplayProgress;
  items: PolicyReplayItem[];
  position: PolicyReplayPosition;
  /** How many times a worker has claimed it, this claim included. */
  claims: number;
  createdAt: Date;
  finishedAt: Date | null;
  error: string | null;
}

/**
 * Policy replay jobs (`policy_replays`): created by an investigator, run by whichever worker claims them.
 * A claim is a lease: a worker that dies mid-replay lets it lapse, and the next claim resumes from the last
 * page saved.
 */
export interface PolicyReplays {
  create(job: { id: string; policy: ReplayPolicy; statuses: ExistingLinkStatus[]; createdAt: Date }): Promise<void>;
  find(id: string): Promise<PolicyReplayJob | undefined>;
  /** The oldest queued job, or a running one whose lease has lapsed, now held until `claimedUntil`. */
  claimNext(now: Date, claimedUntil: Date): Promise<PolicyReplayJob | undefined>;
  /** Records a page done (its failing links appended) and extends the lease; false if the lease was lost. */
  savePage(
    claim: PolicyReplayClaim,
    page: { position: PolicyReplayPosition; progress: PolicyReplayProgress; items: PolicyReplayItem[] },
    claimedUntil: Date,
  ): Promise<boolean>;
  finish(claim: PolicyReplayClaim, status: 'done' | 'failed', at: Date, error?: string): Promise<void>;
}

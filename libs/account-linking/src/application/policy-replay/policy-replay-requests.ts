import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { ReplayPolicy } from '../../domain/policies/policy-replay';
import { LinkingRefused } from '../linking-refused.error';
import { CLOCK, type Clock } from '../ports/clock.port';
import type { ExistingLinkStatus } from '../ports/link-read-model.port';
import {
  POLICY_REPLAYS,
  type PolicyReplayItem,
  type PolicyReplayProgress,
  type PolicyReplays,
  type PolicyReplayStatus,
} from '../ports/policy-replays.port';
import { InvestigationAudit, type Investigator } from '../queries/investigations/investigation-audit';

export interface PolicyReplayView {
  id: string;
  status: PolicyReplayStatus;
  policy: ReplayPolicy;
  statuses: ExistingLinkStatus[];
  progress: PolicyReplayProgress;
  items: PolicyReplayItem[];
  createdAt: string;
  finishedAt: string | null;
  error?: string;
}

export const DEFAULT_REPLAYED_STATUSES: readonly ExistingLinkStatus[] = ['active'];

/**
 * An investigator starts a policy replay and reads how far it got (API.md "Evidence, policy replay, erasure").
 * Both are audited reads (`policy_replay`). The replay itself runs on a worker (PolicyReplayRunner).
 */
@Injectable()
export class PolicyReplayRequests {
  constructor(
    @Inject(POLICY_REPLAYS) private readonly replays: PolicyReplays,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly audit: InvestigationAudit,
  ) {}

  async start(
    policy: ReplayPolicy,
    statuses: readonly ExistingLinkStatus[] | undefined,
    investigator: Investigator,
  ): Promise<{ id: string }> {
    const id = `prp_${randomUUID()}`;
    const replayed = [...new Set(statuses ?? DEFAULT_REPLAYED_STATUSES)];
    await this.audit.record(investigator, { record: 'policy_replay', replayId: id, policy, statuses: replayed });
    await this.replays.create({ id, policy, statuses: replayed, createdAt: this.clock.now() });
    return { id };
  }

  async get(id: string, investigator: Investigator): Promise<PolicyReplayView> {
    // Audited first, for an unknown replay too: the attempt to read is itself evidence.
    await this.audit.record(investigator, { record: 'policy_replay', replayId: id });
    const job = await this.replays.find(id);
    if (!job) throw new LinkingRefused('policy_replay_not_found', `No policy replay ${id}`);
    return {
      id: job.id,
      status: job.status,
      policy: job.policy,
      statuses: job.statuses,
      progress: job.progress,
      items: job.items,
      createdAt: job.createdAt.toISOString(),
      finishedAt: job.finishedAt?.toISOString() ?? null,
      ...(job.error ? { error: job.error } : {}),
    };
  }
}

import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { type Checkpoint, EVENT_STORE, type EventMetadata, type EventStore } from '@lib/event-store/event-store.port';
import type { ReplayPolicy } from '../../../domain/policies/policy-replay';
import { CLOCK, type Clock } from '../../ports/clock.port';

/** Every investigator read is recorded here, before its data is returned (R11: who looked at what, and why). */
export const INVESTIGATION_AUDIT_STREAM = 'audit-investigations';

/** What an investigator read; never a personal value (a bank account appears as its token). */
export type InvestigationRead =
  | { record: 'link_events'; linkId: string }
  | { record: 'link_evidence'; linkId: string }
  | { record: 'link_state'; linkId: string; at: string }
  | { record: 'bank_account_history'; bankCode: string; branchCode: string; accountType: string; accountToken: string }
  | { record: 'device_links'; deviceId: string }
  | { record: 'case'; caseId: string }
  | { record: 'link_cases'; linkId: string }
  | { record: 'customer_links'; customerReference: string; paymentAppId?: string }
  | { record: 'log_digests'; cursor?: string }
  | { record: 'log_digest'; digestId: string }
  /** Starting a replay names its policy and statuses; reading one names only the replay. */
  | { record: 'policy_replay'; replayId: string; policy?: ReplayPolicy; statuses?: readonly string[] };

/** Who reads, for which case, with the metadata of their request. */
export interface Investigator {
  investigatorId: string;
  caseId: string;
  metadata: EventMetadata;
}

export interface InvestigationRecordRead {
  type: 'InvestigationRecordRead';
  data: { investigatorId: string; caseId: string; read: InvestigationRead; at: string };
}

@Injectable()
export class InvestigationAudit {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Appends the audit event; the read goes ahead only once this has resolved. */
  async record(investigator: Investigator, read: InvestigationRead): Promise<Checkpoint> {
    const event: InvestigationRecordRead = {
      type: 'InvestigationRecordRead',
      data: {
        investigatorId: investigator.investigatorId,
        caseId: investigator.caseId,
        read,
        at: this.clock.now().toISOString(),
      },
    };
    // `any`: one hot stream for every investigator, so no expectation to contend on. Its idempotence is best
    // effort on EventStoreDB: a retry after a lost answer may record the read twice, which says nothing false;
    // a read never goes unrecorded.
    const result = await this.store.appendToStream(
      INVESTIGATION_AUDIT_STREAM,
      [{ id: randomUUID(), ...event, metadata: investigator.metadata }],
      'any',
    );
    return result.checkpoint;
  }
}

import { Inject, Optional } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '@lib/event-store/event-store.port';
import {
  EVIDENCE_JWS_TYPE,
  type EvidenceBundle,
  type EvidenceEvent,
  evidenceDigest,
  type SignedEvidence,
  type UnsignedEvidenceBundle,
} from '@lib/event-store/hash-chain/evidence-bundle';
import { linkStream } from '../../link-streams';
import { LogDigests } from '../../log-digests/log-digests';
import { LinkingRefused } from '../../linking-refused.error';
import { CLOCK, type Clock } from '../../ports/clock.port';
import { DEBIT_READ_MODEL, type DebitReadModel } from '../../ports/debit-read-model.port';
import { EVIDENCE_SIGNER, type EvidenceSigner } from '../../ports/evidence-signer.port';
import { PERSONAL_DATA_VAULT, type PersonalDataVault } from '../../ports/personal-data-vault.port';
import { InvestigationAudit } from './investigation-audit';
import { LinkEvidenceQuery } from './investigation.queries';
import { linkDebitEvents } from './link-debit-events';

/**
 * The evidence bundle of a link: its stream and its debits' streams (spending and each debit), whole, so each
 * chain checks from its first event; the head hash of each; the service's JWS over their digest. The bank
 * account guard's stream is left out: it is shared with other links. Each event says where it stands in the global
 * log, and `logDigest` is the latest signed digest of the whole log if it covers them all. An audited read.
 */
@QueryHandler(LinkEvidenceQuery)
export class LinkEvidenceHandler implements IQueryHandler<LinkEvidenceQuery> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(DEBIT_READ_MODEL) private readonly debits: DebitReadModel,
    @Inject(PERSONAL_DATA_VAULT) private readonly vault: PersonalDataVault,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly audit: InvestigationAudit,
    private readonly logDigests: LogDigests,
    @Optional() @Inject(EVIDENCE_SIGNER) private readonly signer?: EvidenceSigner,
  ) {}

  async execute({ linkId, investigator }: LinkEvidenceQuery): Promise<EvidenceBundle> {
    if (!this.signer) {
      throw new LinkingRefused(
        'evidence_signing_unavailable',
        'This service does not issue its own tokens, so it has no key in /.well-known/jwks.json to sign evidence with',
      );
    }
    await this.audit.record(investigator, { record: 'link_evidence', linkId });
    const linkEvents = await this.store.readStream(linkStream(linkId));
    if (linkEvents[0]?.type !== 'LinkRequested') throw new LinkingRefused('link_not_found', `No link ${linkId}`);
    const recorded = [...linkEvents, ...(await linkDebitEvents(this.store, this.debits, linkId))];
    const events: EvidenceEvent[] = await Promise.all(
      recorded.map(async (event) => ({
        streamName: event.streamName,
        revision: event.revision,
        id: event.id,
        type: event.type,
        data: event.data,
        metadata: event.metadata,
        recordedAt: event.recordedAt.toISOString(),
        personalData: await this.vault.personalDataIn(event.data),
        globalPosition: event.globalPosition,
        checkpoint: event.checkpoint,
      })),
    );
    // The latest digest of the whole log, when it already covers the bundle's last event in log order.
    const lastCheckpoint = recorded.reduce<string | undefined>(
      (last, event) => (last === undefined || event.checkpoint > last ? event.checkpoint : last),
      undefined,
    );
    const latest = await this.logDigests.latest();
    const logDigest =
      latest !== undefined && lastCheckpoint !== undefined && latest.upToCheckpoint >= lastCheckpoint ? latest : null;
    const streamHashes: Record<string, string> = {};
    for (const event of events) {
      // Each stream is read in revision order, so its last event here is its head.
      if (typeof event.metadata.hash === 'string') streamHashes[event.streamName] = event.metadata.hash;
    }
    const unsigned: UnsignedEvidenceBundle = {
      linkId,
      events,
      streamHashes,
      exportedAt: this.clock.now().toISOString(),
      logDigest,
    };
    const signed: SignedEvidence = {
      linkId,
      exportedAt: unsigned.exportedAt,
      streamHashes,
      digest: evidenceDigest(unsigned),
    };
    return { ...unsigned, signature: await this.signer.sign(signed, EVIDENCE_JWS_TYPE) };
  }
}

import type { EvidenceBundle } from '@lib/event-store/hash-chain/evidence-bundle';
import { ServiceClient, type ServiceClientOptions } from './service-client';

export interface InvestigatedEvent {
  type: string;
  revision?: number;
  recordedAt?: string;
  [field: string]: unknown;
}

export interface LinkHistory {
  linkId: string;
  events: InvestigatedEvent[];
  bankAccountGuardEvents: InvestigatedEvent[];
  /** The link's debit and spending streams' events, in global order. */
  debitEvents: InvestigatedEvent[];
}

/** The investigator endpoints the CLI uses, with a token of scope `investigations:read`; each read names its case. */
export class InvestigatorClient extends ServiceClient {
  constructor(options: ServiceClientOptions) {
    super(options, 'investigations:read');
  }

  linkHistory(linkId: string, caseId: string): Promise<LinkHistory> {
    return this.call('GET', `/v1/investigations/links/${encodeURIComponent(linkId)}/events`, {
      headers: { 'x-investigation-case': caseId },
    });
  }

  linkEvidence(linkId: string, caseId: string): Promise<EvidenceBundle> {
    return this.call('GET', `/v1/investigations/links/${encodeURIComponent(linkId)}/evidence`, {
      headers: { 'x-investigation-case': caseId },
    });
  }
}

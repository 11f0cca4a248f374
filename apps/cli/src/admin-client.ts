import type { LogDigest, LogVerification } from '@lib/event-store/hash-chain/log-digest';
import type { RebuildProgress } from '@lib/event-store/projections/blue-green-rebuild';
import { ServiceClient, type ServiceClientOptions } from './service-client';

export type { Fetch } from './service-client';
export { ServiceApiError as AdminApiError } from './service-client';

export type ClientRole = 'payment_app' | 'investigator' | 'operator' | 'bank';

export interface ClientView {
  clientId: string;
  role: ClientRole;
  scopes: string[];
  displayName: string;
  createdAt: string;
  disabledAt: string | null;
  /** Only in the answer that generated it. */
  secret?: string;
}

export interface BankPolicy {
  customerNotifiedBy: 'service' | 'bank';
  coolingOffMinutes: number;
  customerConfirmationRequired: boolean;
  phishingResistantFactorRequired: boolean;
}

export interface WebhookKeyView {
  bankCode: string;
  keyId: string;
  kind: 'hmac' | 'ed25519';
  notBefore: string | null;
  notAfter: string | null;
  createdAt: string;
  validNow: boolean;
  /** Only in the answer that generated it. */
  secret?: string;
}

export interface BankView {
  bankCode: string;
  name: string;
  policy: BankPolicy;
  suspension: { suspended: boolean; reason?: string; since?: string };
  webhookKeys: WebhookKeyView[];
  createdAt: string;
}

export interface BankSuspensionView {
  bankCode: string;
  suspended: boolean;
  reason?: string;
  at: string;
}

export interface NewWebhookKey {
  keyId: string;
  kind: 'hmac' | 'ed25519';
  secret?: string;
  publicKey?: string;
  notBefore?: string;
  notAfter?: string;
}

const bankPath = (bankCode: string) => `/v1/admin/banks/${encodeURIComponent(bankCode)}`;

/** What the CLI calls the pass over every read model (no read model is named so). */
export const EVERY_READ_MODEL = 'all';

const rebuildPath = (projection: string) =>
  projection === EVERY_READ_MODEL
    ? '/v1/admin/projections/rebuild'
    : `/v1/admin/projections/${encodeURIComponent(projection)}/rebuild`;

/** The operator endpoints the CLI uses (`/v1/admin/…`), with a token of scope `admin`. */
export class AdminClient extends ServiceClient {
  constructor(options: ServiceClientOptions) {
    super(options, 'admin');
  }

  /** Starts a rebuild of one read model, or of every one in one pass over the log (`all`). */
  startRebuild(projection: string): Promise<RebuildProgress> {
    return this.call('POST', rebuildPath(projection));
  }

  rebuildProgress(projection: string): Promise<RebuildProgress> {
    return this.call('GET', rebuildPath(projection));
  }

  chainLegacyHistory(): Promise<{ streamsChained: number; eventsChained: number }> {
    return this.call('POST', '/v1/admin/evidence/hash-chain-migration');
  }

  recordLogDigest(): Promise<LogDigest> {
    return this.call('POST', '/v1/admin/evidence/log-digests');
  }

  verifyLog(): Promise<LogVerification> {
    return this.call('POST', '/v1/admin/evidence/log-verification');
  }

  eraseDataSubject(body: { paymentAppId: string; customerReference: string; legalBasis: string }): Promise<{
    subjectId: string;
    erasedAt: string;
    legalBasis: string;
    newlyErased: boolean;
  }> {
    return this.call('POST', '/v1/admin/data-subjects/erasure', { body });
  }

  projections(): Promise<{
    projections: { projection: string; eventsBehind: number; oldestPendingSeconds: number }[];
  }> {
    return this.call('GET', '/v1/admin/projections');
  }

  registerClient(client: {
    clientId: string;
    role: ClientRole;
    displayName: string;
    secret?: string;
  }): Promise<ClientView> {
    return this.call('POST', '/v1/admin/clients', { body: client });
  }

  disableClient(clientId: string): Promise<ClientView> {
    return this.call('DELETE', `/v1/admin/clients/${encodeURIComponent(clientId)}`);
  }

  putBank(bankCode: string, bank: { name: string; policy: BankPolicy }): Promise<BankView> {
    return this.call('PUT', bankPath(bankCode), { body: bank });
  }

  bank(bankCode: string): Promise<BankView> {
    return this.call('GET', bankPath(bankCode));
  }

  addWebhookKey(bankCode: string, key: NewWebhookKey): Promise<WebhookKeyView> {
    return this.call('POST', `${bankPath(bankCode)}/webhook-keys`, { body: key });
  }

  endWebhookKey(bankCode: string, keyId: string, notAfter: string): Promise<WebhookKeyView> {
    return this.call('PATCH', `${bankPath(bankCode)}/webhook-keys/${encodeURIComponent(keyId)}`, {
      body: { notAfter },
    });
  }

  suspendBank(bankCode: string, reason: string): Promise<BankSuspensionView> {
    return this.call('POST', `${bankPath(bankCode)}/suspension`, { body: { reason } });
  }

  liftBankSuspension(bankCode: string): Promise<BankSuspensionView> {
    return this.call('DELETE', `${bankPath(bankCode)}/suspension`);
  }
  /** `GET /v1/admin/actor-blocks`: blocks of devices, app customers and addresses. */
  actorBlocks(activeOnly: boolean): Promise<{ items: ActorBlockView[] }> {
    return this.call('GET', `/v1/admin/actor-blocks${activeOnly ? '?active=true' : ''}`);
  }

  liftActorBlock(blockId: string, reason: string): Promise<ActorBlockView> {
    return this.call('DELETE', `/v1/admin/actor-blocks/${encodeURIComponent(blockId)}`, { body: { reason } });
  }

  /** `GET /v1/admin/cases`: every complaint case, newest first. */
  cases(filter: { status?: string; linkId?: string; cursor?: string }): Promise<{
    items: CaseSummaryView[];
    nextCursor: string | null;
  }> {
    const query = new URLSearchParams(filter as Record<string, string>).toString();
    return this.call('GET', `/v1/admin/cases${query ? `?${query}` : ''}`);
  }

  /** `GET /v1/admin/cases/{id}`: one case with its notes. */
  case(caseId: string): Promise<CaseDetailView> {
    return this.call('GET', `/v1/admin/cases/${encodeURIComponent(caseId)}`);
  }
}

/** A complaint case as the admin API lists it (API.md "Complaint cases"). */
export interface CaseSummaryView {
  id: string;
  status: string;
  linkId: string;
  category: string;
  paymentAppId: string;
  bankCode: string;
  openedBy: string;
  openedAt: string;
  respondBy: string;
  overdueAt?: string;
}

interface CaseDecisionView {
  outcome: string;
  compensation?: { amount: number; paidBy: string; appShare?: number } | null;
}

export interface CaseDetailView extends CaseSummaryView {
  summary?: string | null;
  notes: { id: string; by: string; at: string; text?: string | null }[];
  proposal: (CaseDecisionView & { proposedBy: string; proposedAt: string }) | null;
  decision: (CaseDecisionView & { decidedBy: string; decidedAt: string }) | null;
}

export interface ActorBlockView {
  id: string;
  actor: { kind: 'device' | 'customer' | 'ip_address'; paymentAppId: string; key: string };
  blockedAt: string;
  until: string;
  reason: string;
  accountsTried: number;
  liftedAt?: string;
  liftReason?: string;
  expiredAt?: string;
}

/**
 * The investigator API's answers, as far as the console reads them. These mirror the service's views
 * (libs/account-linking/src/application/queries/investigations/investigation-views.ts) by hand: the console
 * is a client of the public API and shares no code with the service.
 */

export interface ActorView {
  type: string;
  id: string;
}

export interface InvestigatedEvent {
  id: string;
  streamName: string;
  revision: number;
  globalPosition: number;
  type: string;
  recordedAt: string;
  data: unknown;
  metadata: { actor?: ActorView; occurredAt?: string; [key: string]: unknown };
  personalData?: 'sealed' | 'erased' | 'none';
}

export interface LinkEventsView {
  linkId: string;
  events: InvestigatedEvent[];
  bankAccountGuardEvents?: InvestigatedEvent[];
  debitEvents?: InvestigatedEvent[];
}

export interface LinkView {
  id: string;
  status: string;
  customer: { reference: string };
  bankAccount: { bankCode: string; branchCode: string; type: string; last4: string };
  device: { id: string };
  createdAt: string;
  expiresAt: string;
  activatedAt?: string;
  boundDeviceId?: string;
  coolingOffUntil?: string;
  reason?: string;
  reasonDetail?: string;
  paymentApp?: { id: string };
}

export interface LinkStateAsOfView {
  linkId: string;
  at: string;
  revision: number | null;
  status: string;
  link: LinkView | null;
  /** The decider's whole state then; the console reads only whose link it is. */
  state?: { link?: { paymentAppId?: string } };
}

export interface LinkPage {
  items: LinkView[];
  nextCursor: string | null;
}

export type AccountHistoryEntry =
  | {
      kind: 'link_attempt';
      linkId: string;
      paymentAppId: string;
      attemptedAt: string;
      outcome: string;
      reason?: string;
    }
  | { kind: 'account_locked'; at: string; lockedUntil: string }
  | { kind: 'account_closed'; at: string };

export interface BankAccountHistoryView {
  bankAccount: { bankCode: string; branchCode: string; type: string; last4: string };
  entries: AccountHistoryEntry[];
}

/** KycMatched / KycMismatched: the dual KYC match, field by field, as the event records it. */
export interface KycFieldResult {
  field: string;
  result: string;
}

export function kycFieldsOf(event: InvestigatedEvent): KycFieldResult[] | undefined {
  if (event.type !== 'KycMatched' && event.type !== 'KycMismatched') return undefined;
  const fields = (event.data as { fields?: unknown } | null)?.fields;
  return Array.isArray(fields) ? (fields as KycFieldResult[]) : undefined;
}

/** `GET /v1/admin/actor-blocks` (apps/api/src/admin/actor-blocks): a block of a device, customer or address. */
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

/** `GET /v1/admin/banks/{bankCode}`, as far as the console reads it: the bank and its kill switch (R7). */
export interface BankView {
  bankCode: string;
  name: string;
  suspension: { suspended: boolean; reason?: string; since?: string };
}

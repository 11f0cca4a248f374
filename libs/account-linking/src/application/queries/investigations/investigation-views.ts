import type { RecordedEvent } from '@lib/event-store/event-store.port';
import type { LinkState } from '../../../domain/link/link-state';
import { type LinkView, toLinkView } from '../../link-view';
import type { AccountHistoryEntry } from '../../ports/account-history.port';
import type { PersonalDataState, PersonalDataVault } from '../../ports/personal-data-vault.port';

/**
 * An event as stored: `type`, `data` (sealed values sealed) and `metadata` (with its `previousHash` and `hash`)
 * exactly as the store holds them, so the chain recomputes from what is shown; beside them, whether its data
 * holds personal values that still open (`sealed`), whose subject was erased (`erased`), or none.
 */
export interface InvestigatedEvent {
  id: string;
  streamName: string;
  revision: number;
  globalPosition: number;
  checkpoint: string;
  type: string;
  recordedAt: string;
  data: unknown;
  metadata: RecordedEvent['metadata'];
  personalData: PersonalDataState;
}

export const toInvestigatedEvent = (event: RecordedEvent, personalData: PersonalDataState): InvestigatedEvent => ({
  id: event.id,
  streamName: event.streamName,
  revision: event.revision,
  globalPosition: event.globalPosition,
  checkpoint: event.checkpoint,
  type: event.type,
  recordedAt: event.recordedAt.toISOString(),
  data: event.data,
  metadata: event.metadata,
  personalData,
});

export async function toInvestigatedEvents(
  events: readonly RecordedEvent[],
  vault: PersonalDataVault,
): Promise<InvestigatedEvent[]> {
  return Promise.all(events.map(async (event) => toInvestigatedEvent(event, await vault.personalDataIn(event.data))));
}

export interface LinkEventsView {
  linkId: string;
  events: InvestigatedEvent[];
  /** The link's entries on its bank account's guard stream (attempt registered, failures, finish). */
  bankAccountGuardEvents: InvestigatedEvent[];
  /**
   * The events of the link's debits (`debit-{id}`, refused ones too) and of its running totals (`spending-{linkId}`),
   * merged in global order: what was authorised, refused, settled, failed or expired, and what counted.
   */
  debitEvents: InvestigatedEvent[];
}

export interface LinkStateAsOfView {
  linkId: string;
  at: string;
  /** Revision of the last event recorded by then; null when the link did not exist yet. */
  revision: number | null;
  status: LinkState['status'];
  /** The link as payment apps saw it then; null when it did not exist yet. */
  link: LinkView | null;
  /** The decider's whole state then. */
  state: LinkState;
}

/** A link as investigators see it: the app's view and whose link it is. */
export type InvestigatedLinkView = LinkView & { paymentApp: { id: string } };

export type AccountHistoryEntryView =
  | {
      kind: 'link_attempt';
      linkId: string;
      paymentAppId: string;
      attemptedAt: string;
      /** The link's status, or `refused` when the guard refused the request before any link existed. */
      outcome: string;
      /** A problem code, with the outcome. */
      reason?: string;
      link?: InvestigatedLinkView;
      refusal?: NonNullable<Extract<AccountHistoryEntry, { kind: 'link_attempt' }>['refusal']>;
      failure?: NonNullable<Extract<AccountHistoryEntry, { kind: 'link_attempt' }>['failure']>;
      finished?: NonNullable<Extract<AccountHistoryEntry, { kind: 'link_attempt' }>['finished']>;
    }
  | { kind: 'account_locked'; at: string; lockedUntil: string }
  | { kind: 'account_closed'; at: string };

export interface BankAccountHistoryView {
  bankAccount: { bankCode: string; branchCode: string; type: string; last4: string };
  entries: AccountHistoryEntryView[];
}

export function toAccountHistoryEntryView(entry: AccountHistoryEntry): AccountHistoryEntryView {
  if (entry.kind === 'account_locked' || entry.kind === 'account_closed') return entry;
  const link = entry.link ? { ...toLinkView(entry.link), paymentApp: { id: entry.link.link.paymentAppId } } : undefined;
  const outcome = link ? link.status : entry.refusal ? 'refused' : (entry.finished?.outcome ?? 'not_started');
  const reason = link ? link.reason : entry.refusal?.reason;
  return {
    kind: 'link_attempt',
    linkId: entry.linkId,
    paymentAppId: entry.paymentAppId,
    attemptedAt: entry.attemptedAt,
    outcome,
    ...(reason !== undefined ? { reason } : {}),
    ...(link ? { link } : {}),
    ...(entry.refusal ? { refusal: entry.refusal } : {}),
    ...(entry.failure ? { failure: entry.failure } : {}),
    ...(entry.finished ? { finished: entry.finished } : {}),
  };
}

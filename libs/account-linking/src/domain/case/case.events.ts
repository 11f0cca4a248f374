import type { DomainEvent } from '../message';
import type { SealedPersonalData } from '../sealed-personal-data';
import type { Instant } from '../time';

/** What a complaint is about (API.md "Complaint cases"). */
export type CaseCategory = 'unauthorised_link' | 'unauthorised_debit' | 'other';
export const CASE_CATEGORIES: readonly CaseCategory[] = ['unauthorised_link', 'unauthorised_debit', 'other'];

/** The two parties of a case: the payment app of the link and the bank of its account (R12). */
export type CaseParty = { kind: 'payment_app'; id: string } | { kind: 'bank'; id: string };
/** Who acted on a case: a party, an operator deciding alone, or the service itself (its deadline). */
export type CaseActor = CaseParty | { kind: 'operator'; id: string };

export type CaseOutcome = 'upheld' | 'rejected';
export type CompensationPayer = 'payment_app' | 'bank' | 'shared';

/** Integer yen; `appShare` (yen the app pays) only when `paidBy` is `shared`. */
export interface CaseCompensation {
  amount: number;
  paidBy: CompensationPayer;
  appShare?: number;
}

export interface CaseDecision {
  outcome: CaseOutcome;
  compensation?: CaseCompensation;
}

/** What a case is, fixed when it is opened. */
export interface CaseFacts {
  caseId: string;
  linkId: string;
  paymentAppId: string;
  bankCode: string;
  category: CaseCategory;
  /** Debits of the link the complaint names (may be empty). */
  debitIds: readonly string[];
  /** The data subject the link's customer is: notes and the summary are sealed for it (R14). */
  dataSubject: string;
}

export type CaseOpened = DomainEvent<
  'CaseOpened',
  CaseFacts & { summary: SealedPersonalData; openedBy: CaseParty; at: Instant; respondBy: Instant }
>;
export type CaseNoteAdded = DomainEvent<
  'CaseNoteAdded',
  { caseId: string; noteId: string; by: CaseActor; text: SealedPersonalData; at: Instant }
>;
/** One party's decision, awaiting the other's agreement; a counter-proposal is the other party's own. */
export type CaseDecisionProposed = DomainEvent<
  'CaseDecisionProposed',
  { caseId: string; decision: CaseDecision; by: CaseParty; at: Instant }
>;
export type CaseDecisionAgreed = DomainEvent<
  'CaseDecisionAgreed',
  { caseId: string; decision: CaseDecision; proposedBy: CaseParty; by: CaseParty; at: Instant }
>;
export type CaseDecidedByOperator = DomainEvent<
  'CaseDecidedByOperator',
  { caseId: string; decision: CaseDecision; by: { kind: 'operator'; id: string }; at: Instant }
>;
/** Undecided past `respondBy`: recorded by the case's durable timer. */
export type CaseBecameOverdue = DomainEvent<'CaseBecameOverdue', { caseId: string; respondBy: Instant; at: Instant }>;

export type CaseEvent =
  | CaseOpened
  | CaseNoteAdded
  | CaseDecisionProposed
  | CaseDecisionAgreed
  | CaseDecidedByOperator
  | CaseBecameOverdue;
export type CaseEventType = CaseEvent['type'];

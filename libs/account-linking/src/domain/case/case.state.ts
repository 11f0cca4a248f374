import type { SealedPersonalData } from '../sealed-personal-data';
import type { Instant } from '../time';
import type { CaseActor, CaseDecision, CaseFacts, CaseParty } from './case.events';

export interface CaseNote {
  noteId: string;
  by: CaseActor;
  text: SealedPersonalData;
  at: Instant;
}

export interface CaseProposal {
  decision: CaseDecision;
  by: CaseParty;
  at: Instant;
}

/** How the case was decided: agreed by both parties, or by an operator alone. */
export interface CaseFinalDecision {
  decision: CaseDecision;
  decidedAt: Instant;
  /** The party whose proposal was agreed, or the operator. */
  decidedBy: CaseActor;
  /** The party that agreed; absent when an operator decided. */
  agreedBy?: CaseParty;
}

/** `overdue` lasts until decided, whether or not a proposal is awaiting agreement (API.md). */
export type CaseStatus = 'open' | 'awaiting_agreement' | 'overdue' | 'decided';

export interface ExistingCaseState {
  status: CaseStatus;
  facts: CaseFacts;
  summary: SealedPersonalData;
  openedBy: CaseParty;
  openedAt: Instant;
  respondBy: Instant;
  notes: readonly CaseNote[];
  proposal?: CaseProposal;
  overdueAt?: Instant;
  decision?: CaseFinalDecision;
  updatedAt: Instant;
}

export type CaseState = { status: 'none' } | ExistingCaseState;

export const initialCaseState = (): CaseState => ({ status: 'none' });

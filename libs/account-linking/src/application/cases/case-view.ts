import type { CaseActor, CaseCategory, CaseDecision, CaseParty } from '../../domain/case/case.events';
import type { CaseStatus, ExistingCaseState } from '../../domain/case/case.state';

export type CaseActorKind = CaseActor['kind'];

export interface CaseNoteView {
  id: string;
  by: CaseActorKind;
  at: string;
  /** Opened for the parties' GET only; null when the customer's data was erased. Absent in lists and webhooks. */
  text?: string | null;
}

/** A case as both parties, operators and investigators see it (API.md "Complaint cases"). */
export interface CaseView {
  id: string;
  status: CaseStatus;
  linkId: string;
  category: CaseCategory;
  paymentAppId: string;
  bankCode: string;
  debitIds: string[];
  /** Personal data like the notes: opened for GET of one case only. */
  summary?: string | null;
  openedBy: CaseParty['kind'];
  openedAt: string;
  respondBy: string;
  overdueAt?: string;
  updatedAt: string;
  notes: CaseNoteView[];
  /** A decision one party proposed, awaiting the other's agreement. */
  proposal: (CaseDecision & { proposedBy: CaseParty['kind']; proposedAt: string }) | null;
  decision: (CaseDecision & { decidedBy: CaseActorKind; agreedBy?: CaseParty['kind']; decidedAt: string }) | null;
}

/** Personal data opened from the vault, for a view that shows it. */
export interface OpenedCaseText {
  summary: string | null;
  notes: ReadonlyMap<string, string | null>;
}

/** The view; without `opened`, summary and note texts are left out (lists, webhooks: nothing personal leaves). */
export function toCaseView(state: ExistingCaseState, opened?: OpenedCaseText): CaseView {
  const { facts, proposal, decision } = state;
  return {
    id: facts.caseId,
    status: state.status,
    linkId: facts.linkId,
    category: facts.category,
    paymentAppId: facts.paymentAppId,
    bankCode: facts.bankCode,
    debitIds: [...facts.debitIds],
    ...(opened ? { summary: opened.summary } : {}),
    openedBy: state.openedBy.kind,
    openedAt: state.openedAt,
    respondBy: state.respondBy,
    ...(state.overdueAt ? { overdueAt: state.overdueAt } : {}),
    updatedAt: state.updatedAt,
    notes: state.notes.map((note) => ({
      id: note.noteId,
      by: note.by.kind,
      at: note.at,
      ...(opened ? { text: opened.notes.get(note.noteId) ?? null } : {}),
    })),
    proposal: proposal ? { ...proposal.decision, proposedBy: proposal.by.kind, proposedAt: proposal.at } : null,
    decision: decision
      ? {
          ...decision.decision,
          decidedBy: decision.decidedBy.kind,
          ...(decision.agreedBy ? { agreedBy: decision.agreedBy.kind } : {}),
          decidedAt: decision.decidedAt,
        }
      : null,
  };
}

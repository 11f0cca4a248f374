import { assertNever } from '../assert-never';
import type { Decider } from '../decider';
import { DomainError } from '../domain-error';
import { isBefore } from '../time';
import type { CaseCommand } from './case.commands';
import type { CaseDecision, CaseEvent, CaseParty } from './case.events';
import { type CaseState, type ExistingCaseState, initialCaseState } from './case.state';

const sameParty = (a: CaseParty, b: CaseParty) => a.kind === b.kind && a.id === b.id;
const sameDecision = (a: CaseDecision, b: CaseDecision) => JSON.stringify(a) === JSON.stringify(b);

const existing = (state: CaseState): ExistingCaseState => {
  if (state.status === 'none') throw new DomainError('case_not_found', 'No such case');
  return state;
};

const undecided = (state: CaseState): ExistingCaseState => {
  const found = existing(state);
  if (found.decision) throw new DomainError('case_already_decided', 'The case is decided already');
  return found;
};

/**
 * A decision is whole yen paid by someone named: compensation only when upheld, `appShare` (the app's yen) only
 * when the payment is shared, and then no more than the amount.
 */
export function assertValidDecision(decision: CaseDecision): void {
  const { compensation } = decision;
  if (compensation === undefined) return;
  const invalid = (why: string) => new DomainError('invalid_compensation', why);
  if (decision.outcome !== 'upheld') throw invalid('Only an upheld complaint carries compensation');
  if (!Number.isInteger(compensation.amount) || compensation.amount < 1) {
    throw invalid('compensation.amount must be a whole number of yen, at least 1');
  }
  if (compensation.paidBy === 'shared') {
    const share = compensation.appShare;
    if (share === undefined || !Number.isInteger(share) || share < 0 || share > compensation.amount) {
      throw invalid('A shared compensation names appShare: the whole yen the app pays, at most the amount');
    }
  } else if (compensation.appShare !== undefined) {
    throw invalid('appShare is only for a compensation paidBy shared');
  }
}

export const decideCase = (command: CaseCommand, state: CaseState): CaseEvent[] => {
  switch (command.type) {
    case 'OpenCase': {
      const { facts, summary, openedBy, now, respondBy } = command.data;
      // The same case opened twice (a retried request) is nothing new.
      if (state.status !== 'none') return [];
      return [{ type: 'CaseOpened', data: { ...facts, summary, openedBy, at: now, respondBy } }];
    }
    case 'AddCaseNote': {
      const found = existing(state);
      const { noteId, by, text, now } = command.data;
      if (found.notes.some((note) => note.noteId === noteId)) return [];
      return [{ type: 'CaseNoteAdded', data: { caseId: found.facts.caseId, noteId, by, text, at: now } }];
    }
    case 'ProposeCaseDecision': {
      const found = undecided(state);
      const { by, decision, now } = command.data;
      assertValidDecision(decision);
      // The same party proposing the same again (a retry) changes nothing; anything else replaces the proposal.
      if (found.proposal && sameParty(found.proposal.by, by) && sameDecision(found.proposal.decision, decision)) {
        return [];
      }
      return [{ type: 'CaseDecisionProposed', data: { caseId: found.facts.caseId, decision, by, at: now } }];
    }
    case 'AgreeToCaseDecision': {
      const found = existing(state);
      const { by, now } = command.data;
      if (found.decision) {
        if (found.decision.agreedBy && sameParty(found.decision.agreedBy, by)) return [];
        throw new DomainError('case_already_decided', 'The case is decided already');
      }
      const { proposal } = found;
      if (!proposal) throw new DomainError('case_no_proposal', 'No decision awaits agreement on this case');
      if (sameParty(proposal.by, by)) {
        throw new DomainError('case_own_proposal', 'The other party must agree to a proposed decision');
      }
      return [
        {
          type: 'CaseDecisionAgreed',
          data: { caseId: found.facts.caseId, decision: proposal.decision, proposedBy: proposal.by, by, at: now },
        },
      ];
    }
    case 'DecideCaseAsOperator': {
      const found = undecided(state);
      const { operatorId, decision, now } = command.data;
      assertValidDecision(decision);
      return [
        {
          type: 'CaseDecidedByOperator',
          data: { caseId: found.facts.caseId, decision, by: { kind: 'operator', id: operatorId }, at: now },
        },
      ];
    }
    case 'MarkCaseOverdue': {
      const found = existing(state);
      // Decided in time, or marked already: the timer has nothing left to do.
      if (found.decision || found.overdueAt) return [];
      if (isBefore(command.data.now, found.respondBy)) {
        throw new DomainError('case_not_yet_overdue', `The parties have until ${found.respondBy}`);
      }
      return [
        {
          type: 'CaseBecameOverdue',
          data: { caseId: found.facts.caseId, respondBy: found.respondBy, at: command.data.now },
        },
      ];
    }
    default:
      return assertNever(command, 'case command');
  }
};

const statusOf = (state: ExistingCaseState): ExistingCaseState['status'] => {
  if (state.decision) return 'decided';
  if (state.overdueAt) return 'overdue';
  return state.proposal ? 'awaiting_agreement' : 'open';
};

const withStatus = (state: ExistingCaseState): ExistingCaseState => ({ ...state, status: statusOf(state) });

export const evolveCase = (state: CaseState, event: CaseEvent): CaseState => {
  if (event.type === 'CaseOpened') {
    if (state.status !== 'none') return state;
    const { summary, openedBy, at, respondBy, ...facts } = event.data;
    return { status: 'open', facts, summary, openedBy, openedAt: at, respondBy, notes: [], updatedAt: at };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'CaseNoteAdded': {
      const { noteId, by, text, at } = event.data;
      return { ...state, notes: [...state.notes, { noteId, by, text, at }], updatedAt: at };
    }
    case 'CaseDecisionProposed': {
      const { decision, by, at } = event.data;
      return withStatus({ ...state, proposal: { decision, by, at }, updatedAt: at });
    }
    case 'CaseDecisionAgreed': {
      const { decision, proposedBy, by, at } = event.data;
      const { proposal: _settled, ...rest } = state;
      return withStatus({
        ...rest,
        decision: { decision, decidedAt: at, decidedBy: proposedBy, agreedBy: by },
        updatedAt: at,
      });
    }
    case 'CaseDecidedByOperator': {
      const { decision, by, at } = event.data;
      const { proposal: _settled, ...rest } = state;
      return withStatus({ ...rest, decision: { decision, decidedAt: at, decidedBy: by }, updatedAt: at });
    }
    case 'CaseBecameOverdue':
      return withStatus({ ...state, overdueAt: event.data.at, updatedAt: event.data.at });
    default:
      return assertNever(event, 'case event');
  }
};

/** One complaint case's stream (`case-{id}`), shared by the link's app and bank (R12). */
export const caseDecider: Decider<CaseState, CaseCommand, CaseEvent> = {
  decide: decideCase,
  evolve: evolveCase,
  initialState: initialCaseState,
};

import { DeciderSpecification } from '../testing/decider-specification';
import type { CaseDecision, CaseEvent, CaseFacts, CaseParty } from './case.events';
import { caseDecider } from './case.decider';

const given = DeciderSpecification.for(caseDecider);
const OPENED_AT = '2026-11-20T01:00:00.000Z';
const RESPOND_BY = '2026-11-30T01:00:00.000Z';
const LATER = '2026-11-21T02:00:00.000Z';
const app: CaseParty = { kind: 'payment_app', id: 'wallet' };
const bank: CaseParty = { kind: 'bank', id: '0001' };
const facts: CaseFacts = {
  caseId: 'cas_1',
  linkId: 'lnk_1',
  paymentAppId: 'wallet',
  bankCode: '0001',
  category: 'unauthorised_debit',
  debitIds: ['dbt_1'],
  dataSubject: 'sub_1',
};
const refund: CaseDecision = { outcome: 'upheld', compensation: { amount: 5000, paidBy: 'shared', appShare: 2000 } };
const rejected: CaseDecision = { outcome: 'rejected' };

const opened: CaseEvent = {
  type: 'CaseOpened',
  data: { ...facts, summary: 'sealed:summary', openedBy: app, at: OPENED_AT, respondBy: RESPOND_BY },
};
const proposedByApp: CaseEvent = {
  type: 'CaseDecisionProposed',
  data: { caseId: 'cas_1', decision: refund, by: app, at: LATER },
};
const counteredByBank: CaseEvent = {
  type: 'CaseDecisionProposed',
  data: { caseId: 'cas_1', decision: rejected, by: bank, at: LATER },
};
const agreedByBank: CaseEvent = {
  type: 'CaseDecisionAgreed',
  data: { caseId: 'cas_1', decision: refund, proposedBy: app, by: bank, at: LATER },
};
const overdue: CaseEvent = {
  type: 'CaseBecameOverdue',
  data: { caseId: 'cas_1', respondBy: RESPOND_BY, at: RESPOND_BY },
};
const stateOf = (events: readonly CaseEvent[]) => events.reduce(caseDecider.evolve, caseDecider.initialState());

describe('a complaint case shared by the app and the bank (R12)', () => {
  it('is opened once by a party of the link, with its deadline; a retry opens nothing more', () => {
    const open = {
      type: 'OpenCase',
      data: { facts, summary: 'sealed:summary', openedBy: app, now: OPENED_AT, respondBy: RESPOND_BY },
    } as const;
    given([]).when(open).then([opened]);
    given([opened]).when(open).thenNothingHappened();
    expect(stateOf([opened])).toMatchObject({ status: 'open', respondBy: RESPOND_BY, notes: [] });
  });

  it('keeps a shared thread of notes from either party, each once', () => {
    const note = {
      type: 'AddCaseNote',
      data: { noteId: 'note_1', by: bank, text: 'sealed:text', now: LATER },
    } as const;
    const added: CaseEvent = {
      type: 'CaseNoteAdded',
      data: { caseId: 'cas_1', noteId: 'note_1', by: bank, text: 'sealed:text', at: LATER },
    };
    given([opened]).when(note).then([added]);
    given([opened, added]).when(note).thenNothingHappened();
    given([]).when(note).thenThrows('case_not_found');
  });

  it('awaits the other party’s agreement to a proposed decision, then is decided', () => {
    given([opened])
      .when({ type: 'ProposeCaseDecision', data: { by: app, decision: refund, now: LATER } })
      .then([proposedByApp]);
    expect(stateOf([opened, proposedByApp]).status).toBe('awaiting_agreement');
    given([opened, proposedByApp])
      .when({ type: 'AgreeToCaseDecision', data: { by: bank, now: LATER } })
      .then([agreedByBank]);
    expect(stateOf([opened, proposedByApp, agreedByBank])).toMatchObject({
      status: 'decided',
      decision: { decision: refund, decidedBy: app, agreedBy: bank },
    });
  });

  it('refuses an agreement by the proposer itself, or with nothing proposed', () => {
    given([opened, proposedByApp])
      .when({ type: 'AgreeToCaseDecision', data: { by: app, now: LATER } })
      .thenThrows('case_own_proposal');
    given([opened])
      .when({ type: 'AgreeToCaseDecision', data: { by: bank, now: LATER } })
      .thenThrows('case_no_proposal');
  });

  it('lets the other party counter with its own decision, which the first must then agree to', () => {
    given([opened, proposedByApp])
      .when({ type: 'ProposeCaseDecision', data: { by: bank, decision: rejected, now: LATER } })
      .then([counteredByBank]);
    given([opened, proposedByApp, counteredByBank])
      .when({ type: 'AgreeToCaseDecision', data: { by: bank, now: LATER } })
      .thenThrows('case_own_proposal');
    given([opened, proposedByApp, counteredByBank])
      .when({ type: 'AgreeToCaseDecision', data: { by: app, now: LATER } })
      .then([
        {
          type: 'CaseDecisionAgreed',
          data: { caseId: 'cas_1', decision: rejected, proposedBy: bank, by: app, at: LATER },
        },
      ]);
  });

  it('lets an operator decide alone, pending proposal or not; a decided case takes no other decision', () => {
    const decide = {
      type: 'DecideCaseAsOperator',
      data: { operatorId: 'ops', decision: rejected, now: LATER },
    } as const;
    const decided: CaseEvent = {
      type: 'CaseDecidedByOperator',
      data: { caseId: 'cas_1', decision: rejected, by: { kind: 'operator', id: 'ops' }, at: LATER },
    };
    given([opened, proposedByApp]).when(decide).then([decided]);
    expect(stateOf([opened, proposedByApp, decided])).toMatchObject({ status: 'decided' });
    expect(stateOf([opened, proposedByApp, decided])).not.toHaveProperty('proposal');
    given([opened, decided]).when(decide).thenThrows('case_already_decided');
    given([opened, decided])
      .when({ type: 'ProposeCaseDecision', data: { by: app, decision: refund, now: LATER } })
      .thenThrows('case_already_decided');
    given([opened, proposedByApp, agreedByBank])
      .when({ type: 'AgreeToCaseDecision', data: { by: bank, now: LATER } })
      .thenNothingHappened();
  });

  it('refuses a compensation that does not add up', () => {
    const propose = (decision: CaseDecision) =>
      given([opened]).when({ type: 'ProposeCaseDecision', data: { by: app, decision, now: LATER } });
    propose({ outcome: 'rejected', compensation: { amount: 100, paidBy: 'bank' } }).thenThrows('invalid_compensation');
    propose({ outcome: 'upheld', compensation: { amount: 0, paidBy: 'bank' } }).thenThrows('invalid_compensation');
    propose({ outcome: 'upheld', compensation: { amount: 100, paidBy: 'shared' } }).thenThrows('invalid_compensation');
    propose({ outcome: 'upheld', compensation: { amount: 100, paidBy: 'shared', appShare: 101 } }).thenThrows(
      'invalid_compensation',
    );
    propose({ outcome: 'upheld', compensation: { amount: 100, paidBy: 'bank', appShare: 10 } }).thenThrows(
      'invalid_compensation',
    );
  });

  it('becomes overdue at its deadline when undecided, stays so until decided, and is marked once', () => {
    const mark = { type: 'MarkCaseOverdue', data: { now: RESPOND_BY } } as const;
    given([opened]).when(mark).then([overdue]);
    given([opened])
      .when({ type: 'MarkCaseOverdue', data: { now: LATER } })
      .thenThrows('case_not_yet_overdue');
    given([opened, overdue]).when(mark).thenNothingHappened();
    given([opened, proposedByApp, agreedByBank]).when(mark).thenNothingHappened();
    expect(stateOf([opened, overdue, proposedByApp]).status).toBe('overdue');
    expect(stateOf([opened, overdue, proposedByApp, agreedByBank]).status).toBe('decided');
  });
});

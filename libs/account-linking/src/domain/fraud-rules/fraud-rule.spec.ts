import { linkDecider } from '../link/link.decider';
import { HISTORIES, type HistoryName, LATER, LINK_ID } from '../link/testing/link-fixtures';
import { DeciderSpecification } from '../testing/decider-specification';
import { type FraudRuleName, fraudRuleAction } from './fraud-rule';

const given = DeciderSpecification.for(linkDecider);
const stateOf = (name: HistoryName) => HISTORIES[name].reduce(linkDecider.evolve, linkDecider.initialState());

/** The rule's action on a link with this history, decided by the link's own decider. */
const actionOn = (rule: FraudRuleName, name: HistoryName) => {
  const action = fraudRuleAction(rule, stateOf(name), LATER);
  if (!action) throw new Error(`${rule} does nothing to a link that is ${name}`);
  return given(HISTORIES[name]).when(action);
};

const NOT_YET_ACTIVE = [
  'awaiting_bank_authentication',
  'notifying_customer',
  'cooling_off',
  'awaiting_customer_confirmation',
] as const satisfies readonly HistoryName[];
const ENDED = ['revoked', 'rejected', 'expired'] as const satisfies readonly HistoryName[];

describe('the customer_objected fraud rule on one link', () => {
  it('suspends an active link, as a system decision naming the rule', () => {
    actionOn('customer_objected', 'active').then([
      {
        type: 'LinkSuspended',
        data: { linkId: LINK_ID, at: LATER, by: 'system', reason: 'fraud_rule:customer_objected' },
      },
    ]);
  });

  it.each(NOT_YET_ACTIVE)('revokes a link that is %s, which cannot be suspended and must not become active', (name) => {
    actionOn('customer_objected', name).then([
      {
        type: 'LinkRevoked',
        data: { linkId: LINK_ID, at: LATER, by: 'system', reason: 'fraud_rule:customer_objected' },
      },
    ]);
  });

  it.each(['suspended', ...ENDED, 'none'] as HistoryName[])('does nothing to a link that is %s', (name) => {
    expect(fraudRuleAction('customer_objected', stateOf(name), LATER)).toBeUndefined();
  });
});

describe('the account_closed fraud rule on one link', () => {
  it.each([...NOT_YET_ACTIVE, 'active', 'suspended'] as HistoryName[])('revokes a link that is %s', (name) => {
    actionOn('account_closed', name).then([
      { type: 'LinkRevoked', data: { linkId: LINK_ID, at: LATER, by: 'system', reason: 'fraud_rule:account_closed' } },
    ]);
  });

  it.each([...ENDED, 'none'] as HistoryName[])('does nothing to a link that is %s', (name) => {
    expect(fraudRuleAction('account_closed', stateOf(name), LATER)).toBeUndefined();
  });
});

describe('the case_opened fraud rule on one link (R12)', () => {
  it('suspends an active link, as a system decision naming the rule', () => {
    actionOn('case_opened', 'active').then([
      { type: 'LinkSuspended', data: { linkId: LINK_ID, at: LATER, by: 'system', reason: 'fraud_rule:case_opened' } },
    ]);
  });

  it.each(NOT_YET_ACTIVE)('revokes a link that is %s, which must not become active under a complaint', (name) => {
    actionOn('case_opened', name).then([
      { type: 'LinkRevoked', data: { linkId: LINK_ID, at: LATER, by: 'system', reason: 'fraud_rule:case_opened' } },
    ]);
  });

  it.each(['suspended', ...ENDED, 'none'] as HistoryName[])('does nothing to a link that is %s', (name) => {
    expect(fraudRuleAction('case_opened', stateOf(name), LATER)).toBeUndefined();
  });
});

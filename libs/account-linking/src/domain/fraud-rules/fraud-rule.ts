import { assertNever } from '../assert-never';
import type { Revoke, Suspend } from '../link/link-commands';
import type { LinkState } from '../link/link-state';
import type { Instant } from '../time';

/**
 * The fraud rules that act without a person (API.md "Actor defences and fraud rules", R6):
 * - `customer_objected`: a customer objected to a link, or its bank reported fraud on it: the other links of
 *   the same device and of the same app customer are taken out of use;
 * - `account_closed`: the bank closed the account: every link on it ends;
 * - `case_opened`: an `unauthorised_link` or `unauthorised_debit` complaint case was opened on the link (R12): the
 *   link is taken out of use at once, as `customer_objected` does to the links it concerns.
 */
export type FraudRuleName = 'customer_objected' | 'account_closed' | 'case_opened';

/** The reason every decision of a rule records; `suspendedBy` / `revokedBy` is `system`. */
export const fraudRuleReason = (rule: FraudRuleName) => `fraud_rule:${rule}` as const;

/**
 * What a rule does to one link as it stands now; undefined when nothing is left to do. `customer_objected`
 * suspends an active link (an operator may reinstate it after looking) and revokes one that is not active
 * yet: such a link cannot be suspended, and it must not go on to become active on a device or for a customer
 * under suspicion; the app may ask again once the actors are cleared. A suspended link stays suspended, and a
 * link that has ended is left alone. `account_closed` revokes every link not ended yet: there is no account.
 */
export const fraudRuleAction = (rule: FraudRuleName, state: LinkState, now: Instant): Suspend | Revoke | undefined => {
  const reason = fraudRuleReason(rule);
  const revoke: Revoke = { type: 'Revoke', data: { now, by: 'system', reason } };
  switch (state.status) {
    case 'none':
    case 'revoked':
    case 'rejected':
    case 'expired':
      return undefined;
    case 'awaiting_bank_authentication':
    case 'notifying_customer':
    case 'cooling_off':
    case 'awaiting_customer_confirmation':
      return revoke;
    case 'active':
      return rule === 'account_closed' ? revoke : { type: 'Suspend', data: { now, by: 'system', reason } };
    case 'suspended':
      return rule === 'account_closed' ? revoke : undefined;
    default:
      return assertNever(state, 'link state');
  }
};

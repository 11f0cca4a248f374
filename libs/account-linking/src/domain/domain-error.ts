import type { DebitRefusalCode } from './debit/debit.events';
import type { GuardRefusalReason } from './bank-account-guard/bank-account-guard.events';
import type { LinkRejectionReason } from './link/link-events';

/** Codes of commands the domain refuses outright (the state does not allow them): no event is recorded. */
export type LinkCommandRefusalCode =
  | 'link_not_found'
  | 'link_already_requested'
  | 'link_not_in_expected_state'
  | 'link_not_yet_expired'
  | 'link_not_dormant'
  | 'cooling_off_not_over'
  /** R10: limits change only on an active link (lowering also on a suspended one); a confirmation needs a raise pending. */
  | 'link_not_active'
  | 'no_pending_limits'
  | 'invalid_debit_limit';

/** Codes of bank commands the bank's state refuses (an operator's change that cannot be made): nothing is recorded. */
export type BankCommandRefusalCode =
  | 'unknown_bank'
  | 'webhook_key_exists'
  | 'webhook_key_not_found'
  | 'webhook_key_validity_inverted';

/** Every stable problem code the domain knows; the edge maps them to HTTP, the domain never does. */
/** An operator lifting a block that does not exist. */
export type ActorDefenceRefusalCode = 'actor_block_not_found' | 'actor_block_not_yet_over';

/** Debits (API.md "Debits"): refusals of the app's request, and bank reports the debit's state does not allow. */
export type DebitCommandRefusalCode =
  | DebitRefusalCode
  | 'debit_not_found'
  | 'debit_not_authorised'
  | 'debit_not_yet_expired'
  | 'debit_already_recorded';
/**
 * A re-binding refused with no event (R9): `link_not_active` (422), `device_already_bound` (409: the link is
 * bound to that device already), `device_rebinding_not_pending` (409: a bank's answer for a device no
 * pending request names).
 */
export type DeviceRebindingRefusalCode = 'link_not_active' | 'device_already_bound' | 'device_rebinding_not_pending';

/** Complaint cases (API.md "Complaint cases"): refusals of a party's or an operator's step; nothing is recorded. */
export type CaseCommandRefusalCode =
  | 'case_not_found'
  | 'case_already_decided'
  | 'case_no_proposal'
  | 'case_own_proposal'
  | 'case_not_yet_overdue'
  | 'invalid_compensation'
  | 'case_debit_not_found';

export type DomainErrorCode =
  | CaseCommandRefusalCode
  | LinkCommandRefusalCode
  | LinkRejectionReason
  | GuardRefusalReason
  | ActorDefenceRefusalCode
  | BankCommandRefusalCode
  | DebitCommandRefusalCode
  | DeviceRebindingRefusalCode;

export class DomainError extends Error {
  override readonly name = 'DomainError';

  constructor(
    readonly code: DomainErrorCode,
    message: string,
  ) {
    super(message);
  }
}

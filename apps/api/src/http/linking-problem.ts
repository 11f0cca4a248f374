import { EventStoreUnavailableError } from '@lib/event-store/event-store-unavailable.error';
import { WrongExpectedRevisionError } from '@lib/event-store/wrong-expected-revision.error';
import { ProblemException } from '@lib/platform/problem/problem.exception';
import { LinkingRefused } from '@lib/account-linking/application/linking-refused.error';
import { DomainError, type DomainErrorCode } from '@lib/account-linking/domain/domain-error';

/** HTTP status of each refusal the domain and the application know (ARCHITECTURE.md "Errors"). */
const STATUS_BY_CODE: Record<DomainErrorCode | LinkingRefused['code'], number> = {
  link_not_found: 404,
  unknown_bank: 422,
  link_already_requested: 409,
  link_already_in_progress: 409,
  link_not_in_expected_state: 409,
  link_not_yet_expired: 409,
  link_not_dormant: 409,
  cooling_off_not_over: 409,
  link_not_active: 422,
  no_pending_limits: 409,
  invalid_debit_limit: 422,
  weak_bank_authentication: 422,
  kyc_mismatch: 422,
  account_locked: 422,
  account_closed: 422,
  bank_authentication_failed: 422,
  notification_failed: 422,
  bank_suspended: 422,
  ekyc_method_not_allowed: 422,
  actor_blocked: 422,
  evidence_signing_unavailable: 503,
  data_subject_erased: 422,
  actor_block_not_found: 404,
  actor_block_not_yet_over: 409,
  webhook_key_exists: 409,
  webhook_key_not_found: 404,
  webhook_key_validity_inverted: 422,
  device_not_bound: 422,
  limit_exceeded: 422,
  debit_not_found: 404,
  debit_not_authorised: 409,
  debit_not_yet_expired: 409,
  debit_already_recorded: 409,
  device_already_bound: 409,
  device_rebinding_not_pending: 409,
  case_not_found: 404,
  policy_replay_not_found: 404,
  log_digest_not_found: 404,
  log_digest_up_to_date: 409,
  case_already_decided: 409,
  case_no_proposal: 409,
  case_own_proposal: 409,
  case_not_yet_overdue: 409,
  invalid_compensation: 422,
  case_debit_not_found: 422,
};

/** Domain and application refusals become problem+json here, at the edge; everything else passes through. */
export function toLinkingProblem(error: unknown): unknown {
  if (error instanceof LinkingRefused || error instanceof DomainError) {
    const extensions = error instanceof LinkingRefused ? error.extensions : {};
    return new ProblemException({
      status: STATUS_BY_CODE[error.code] ?? 422,
      code: error.code,
      detail: error instanceof LinkingRefused ? error.detail : error.message,
      extensions,
    });
  }
  if (error instanceof EventStoreUnavailableError) {
    // Every attempt failed (no leader, timeouts): nothing was decided for certain; the client may retry.
    return new ProblemException({
      status: 503,
      code: 'store_unavailable',
      detail: 'The event store did not answer in time; retry the request (with the same Idempotency-Key)',
    });
  }
  if (error instanceof WrongExpectedRevisionError) {
    return new ProblemException({
      status: 409,
      code: 'concurrent_modification',
      detail: 'The link changed while this request was processed; retry it',
    });
  }
  return error;
}

export async function mappingLinkingErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toLinkingProblem(error);
  }
}

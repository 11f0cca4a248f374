/** The application refuses a request for a reason outside one link's decider (unknown bank, a guard refusal). */
export class LinkingRefused extends Error {
  override readonly name = 'LinkingRefused';

  constructor(
    readonly code:
      | 'unknown_bank'
      | 'link_already_in_progress'
      | 'link_not_found'
      | 'debit_not_found'
      | 'account_locked'
      | 'account_closed'
      | 'bank_suspended'
      | 'ekyc_method_not_allowed'
      | 'actor_blocked'
      | 'evidence_signing_unavailable'
      | 'data_subject_erased'
      | 'policy_replay_not_found'
      | 'log_digest_not_found'
      | 'log_digest_up_to_date',
    readonly detail: string,
    /** Safe to show the caller: ids, never personal data. */
    readonly extensions: Record<string, string> = {},
  ) {
    super(detail);
  }
}

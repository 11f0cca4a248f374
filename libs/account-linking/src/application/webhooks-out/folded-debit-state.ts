import type { ExistingDebitState } from '../../domain/debit/debit.state';

/** A debit as the webhooks-out process manager has folded it so far: the state and the last revision folded in. */
export interface FoldedDebitState {
  state: ExistingDebitState;
  revision: number;
}

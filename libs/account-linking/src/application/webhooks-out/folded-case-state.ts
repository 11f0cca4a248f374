import type { ExistingCaseState } from '../../domain/case/case.state';

/** A case as the webhooks-out process manager has folded it so far: the state and the last revision folded in. */
export interface FoldedCaseState {
  state: ExistingCaseState;
  revision: number;
}

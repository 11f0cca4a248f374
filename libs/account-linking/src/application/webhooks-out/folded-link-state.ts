import type { ExistingLinkState } from '../../domain/link/link-state';

/** A link as the webhooks-out process manager has folded it so far: the state and the last revision folded in. */
export interface FoldedLinkState {
  state: ExistingLinkState;
  revision: number;
}

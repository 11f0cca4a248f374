import type { Decider } from '../decider';
import { decide } from './link.decide';
import { evolve } from './link.evolve';
import type { LinkCommand } from './link-commands';
import type { LinkEvent } from './link-events';
import { initialLinkState, type LinkState } from './link-state';

/** The link's life (DOMAIN.md "Lifecycle") as a pure decider: the handler folds the stream, decides, appends. */
export const linkDecider: Decider<LinkState, LinkCommand, LinkEvent> = {
  decide,
  evolve,
  initialState: initialLinkState,
};

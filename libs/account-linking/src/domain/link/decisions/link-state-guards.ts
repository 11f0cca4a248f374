import { DomainError } from '../../domain-error';
import type { LinkCommandType } from '../link-commands';
import type { ExistingLinkState, LinkState, LinkStateIn, LinkStatus } from '../link-state';

export const existingLink = (state: LinkState, command: LinkCommandType): ExistingLinkState => {
  if (state.status === 'none') throw new DomainError('link_not_found', `${command}: the link does not exist`);
  return state;
};

export const notInExpectedState = (command: LinkCommandType, state: ExistingLinkState): DomainError =>
  new DomainError('link_not_in_expected_state', `${command} is not allowed while the link is ${state.status}`);

const isIn = <Status extends LinkStatus>(state: LinkState, allowed: readonly Status[]): state is LinkStateIn<Status> =>
  (allowed as readonly LinkStatus[]).includes(state.status);

export const requireStatus = <Status extends LinkStatus>(
  state: LinkState,
  command: LinkCommandType,
  ...allowed: readonly Status[]
): LinkStateIn<Status> => {
  const existing = existingLink(state, command);
  if (!isIn(existing, allowed)) throw notInExpectedState(command, existing);
  return existing;
};

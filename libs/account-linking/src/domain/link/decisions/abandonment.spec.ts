import { DeciderSpecification } from '../../testing/decider-specification';
import { linkDecider } from '../link.decider';
import { evolve } from '../link.evolve';
import { initialLinkState } from '../link-state';
import {
  abandonLinkRequestCommand,
  HISTORIES,
  linkRequestAbandoned,
  REQUESTED_AT,
  requestLinkCommand,
} from '../testing/link-fixtures';

const given = DeciderSpecification.for(linkDecider);

describe('AbandonLinkRequest', () => {
  it('closes a link id whose request never started', () => {
    given([]).when(abandonLinkRequestCommand()).then([linkRequestAbandoned]);
  });

  it('changes nothing when the request was abandoned already', () => {
    given([linkRequestAbandoned]).when(abandonLinkRequestCommand()).then([]);
  });

  it.each(Object.keys(HISTORIES).filter((name) => name !== 'none') as (keyof typeof HISTORIES)[])(
    'leaves a link that started alone (%s)',
    (name) => {
      given(HISTORIES[name]).when(abandonLinkRequestCommand()).then([]);
    },
  );

  it('leaves no link behind: the id stays unknown, and marked so that its request never starts', () => {
    const state = evolve(initialLinkState(), linkRequestAbandoned);
    expect(state).toEqual({ status: 'none', abandonedAt: REQUESTED_AT });
    given([linkRequestAbandoned]).when(requestLinkCommand()).thenThrows('link_already_requested');
  });
});

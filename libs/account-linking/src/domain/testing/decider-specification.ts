import type { Decider } from '../decider';
import { DomainError, type DomainErrorCode } from '../domain-error';

/**
 * Given / when / then over a pure decider, after Emmett's DeciderSpecification:
 * `given(pastEvents).when(command).then(newEvents)`, `.thenNothingHappened()`, `.thenThrows(code)`.
 */
export const DeciderSpecification = {
  for:
    <State, Command, Event>(decider: Decider<State, Command, Event>) =>
    (given: readonly Event[]) => ({
      when: (command: Command) => {
        const handle = () => decider.decide(command, given.reduce(decider.evolve, decider.initialState()));
        return {
          // biome-ignore lint/suspicious/noThenProperty: given/when/then is the specification's language; never awaited.
          then: (expected: readonly Event[]) => {
            expect(handle()).toEqual(expected);
          },
          thenNothingHappened: () => {
            expect(handle()).toEqual([]);
          },
          thenThrows: (code: DomainErrorCode) => {
            let thrown: unknown;
            try {
              handle();
            } catch (error) {
              thrown = error;
            }
            expect(thrown).toBeInstanceOf(DomainError);
            expect(thrown).toMatchObject({ code });
          },
        };
      },
    }),
};

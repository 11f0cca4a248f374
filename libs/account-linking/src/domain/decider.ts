/** Emmett's decider shape: `decide` returns the new events or throws a domain error; `evolve` folds them. */
export interface Decider<State, Command, Event> {
  decide: (command: Command, state: State) => Event[];
  evolve: (state: State, event: Event) => State;
  initialState: () => State;
}

import type { EventMetadata } from '../../event-store.port';
import type { StreamDecider } from '../handle-command';

export type CounterEvent = { type: 'Incremented'; data: { by: number } };
/** Increments up to `max` (a refusal past it); `by` 0 does nothing. */
export type CounterCommand = { type: 'Increment'; by: number; max: number };

export class CounterFull extends Error {}

/** A decider small enough to read at a glance, for the specs of command handling. */
export const counter: StreamDecider<number, CounterCommand, CounterEvent> = {
  initialState: () => 0,
  evolve: (state, event) => state + event.data.by,
  decide: (command, state) => {
    if (state + command.by > command.max) throw new CounterFull();
    return command.by === 0 ? [] : [{ type: 'Incremented', data: { by: command.by } }];
  },
};

export const counterMetadata: EventMetadata = {
  actor: { type: 'system', id: 'test' },
  correlationId: 'c',
  causationId: 'c',
  occurredAt: '2026-11-21T00:00:00.000Z',
};

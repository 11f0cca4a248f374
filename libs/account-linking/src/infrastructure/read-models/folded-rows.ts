import type { RecordedEvent } from '@lib/event-store/event-store.port';
import type { SqlExecutor } from '@lib/platform/sql/sql-client';

/** One aggregate as a read model keeps it: the state its events folded to, and the last revision folded in. */
export interface FoldedRow<State> {
  state: State;
  revision: number;
}

/**
 * Folds a batch into the rows of a read model that keeps one aggregate per row (`id`, `revision`, `state`),
 * with the domain's own `evolve`: the rows the batch touches are read once (states other than `none`), an event at or before a row's
 * revision is skipped (a replay), and what is returned is every row the batch changed, to be written back.
 */
export async function foldIntoRows<State extends { status: string }, Event>(
  tx: SqlExecutor,
  table: string,
  events: readonly RecordedEvent[],
  fold: {
    idOf: (event: RecordedEvent) => string;
    evolve: (state: State, event: Event) => State;
    initialState: () => State;
  },
): Promise<Map<string, FoldedRow<Exclude<State, { status: 'none' }>>>> {
  const changed = new Map<string, FoldedRow<Exclude<State, { status: 'none' }>>>();
  const ids = [...new Set(events.map(fold.idOf))];
  if (ids.length === 0) return changed;
  const known = new Map<string, FoldedRow<State>>();
  const rows = await tx.query<{ id: string; revision: number; state: State }>(
    `SELECT id, revision, state FROM ${table} WHERE id = ANY($1::text[])`,
    [ids],
  );
  for (const row of rows) known.set(row.id, { state: row.state, revision: Number(row.revision) });
  for (const event of events) {
    const id = fold.idOf(event);
    const before = known.get(id);
    if (before && event.revision <= before.revision) continue;
    const state = fold.evolve(before?.state ?? fold.initialState(), { type: event.type, data: event.data } as Event);
    if (state.status === 'none') continue;
    const folded = { state: state as Exclude<State, { status: 'none' }>, revision: event.revision };
    known.set(id, folded);
    changed.set(id, folded);
  }
  return changed;
}

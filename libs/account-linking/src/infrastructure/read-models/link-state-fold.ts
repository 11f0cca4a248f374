import type { RecordedEvent } from '@lib/event-store/event-store.port';
import type { LinkEvent } from '../../domain/link/link-events';
import { type ExistingLinkState, initialLinkState } from '../../domain/link/link-state';
import { evolve } from '../../domain/link/link.evolve';

/** A link as a read model keeps it: the state its events folded to, and the last revision folded in. */
export interface FoldedLink {
  state: ExistingLinkState;
  revision: number;
  /** The domain's time (`at`) of the last event folded in. */
  updatedAt: string;
}

/**
 * Folds one event of a link's stream into what is known of the link, with the domain's own `evolve`, so a
 * read model says exactly what the decider says. Returns undefined when the event changes nothing: already
 * folded (revision not past the last one) or no link yet.
 */
export function foldLinkEvent(known: FoldedLink | undefined, event: RecordedEvent): FoldedLink | undefined {
  if (known && event.revision <= known.revision) return undefined;
  const state = evolve(known?.state ?? initialLinkState(), { type: event.type, data: event.data } as LinkEvent);
  if (state.status === 'none') return undefined;
  const at = (event.data as { at?: unknown }).at;
  return { state, revision: event.revision, updatedAt: typeof at === 'string' ? at : event.recordedAt.toISOString() };
}

/** The link id of an event of a link stream. */
export const linkIdOf = (event: RecordedEvent): string | undefined => {
  const linkId = (event.data as { linkId?: unknown } | null)?.linkId;
  return typeof linkId === 'string' ? linkId : undefined;
};

/** `timestamptz` comes back as a Date from both drivers; the read models speak ISO 8601 text. */
export const isoOf = (value: Date | string | null | undefined): string | undefined =>
  value === null || value === undefined ? undefined : new Date(value).toISOString();

import type { EventStore, RecordedEvent } from '@lib/event-store/event-store.port';
import type { LinkEvent } from '../../domain/link/link-events';
import type { LinkFacts } from '../../domain/link/link-state';
import { linkDecider } from '../../domain/link/link.decider';
import { linkStream } from '../link-streams';
import type { FraudRuleTrigger } from '../ports/fraud-rule-actor-blocks.port';

export const triggerOf = (event: RecordedEvent): FraudRuleTrigger => ({
  eventId: event.id,
  eventType: event.type,
  correlationId: event.metadata.correlationId,
  at: (event.data as { at?: string }).at ?? event.recordedAt.toISOString(),
});

/** What a link is (its app, customer, device, account), from its first event; undefined when it never started. */
export async function linkFactsOf(store: EventStore, linkId: string): Promise<LinkFacts | undefined> {
  const [first] = await store.readStream(linkStream(linkId), { toRevision: 0 });
  if (first === undefined) return undefined;
  const state = linkDecider.evolve(linkDecider.initialState(), { type: first.type, data: first.data } as LinkEvent);
  return state.status === 'none' ? undefined : state.link;
}

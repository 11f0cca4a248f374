import type { EventStoreDBClient } from '@eventstore/db-client';

/** The client's own feature check (protected in its types), which `appendToStream` asks before batching. */
type FeatureCheck = (method: { path: string }, feature?: string) => Promise<boolean>;

const BATCH_APPEND_PATH = '/event_store.client.streams.streams/batchappend';

/**
 * Makes the client append through the unary `Streams.Append` call, never `Streams.BatchAppend`. In 6.2.1 the
 * batch path keeps its pending appends in a module-wide map: a response it no longer (or never) waited for, as
 * after a dropped stream cleared the map, is destructured from `undefined` in a stream listener, an uncaught
 * `TypeError` that ends the process; and a batch stream that ends without an error leaves appends pending for
 * ever. The unary call settles by itself, with its deadline, however the server answers.
 *
 * The client takes the batch path only when the server lists `BatchAppend` among its features; answering
 * "unsupported" for that one method is how this avoids it without forking the client.
 */
export function withoutBatchAppend(client: EventStoreDBClient): EventStoreDBClient {
  const target = client as unknown as { supports?: FeatureCheck };
  const supports = target.supports;
  if (typeof supports !== 'function') {
    throw new Error(
      'The EventStoreDB client no longer has the feature check the adapter relies on to avoid batch appends; ' +
        'review libs/event-store/src/eventstoredb/unbatched-appends.ts for this client version',
    );
  }
  target.supports = (method, feature) =>
    method.path.toLowerCase() === BATCH_APPEND_PATH ? Promise.resolve(false) : supports(method, feature);
  return client;
}

import {
  type AllStreamSubscription,
  excludeSystemEvents,
  type Filter,
  type Position,
  streamNameFilter,
  eventTypeFilter,
} from '@eventstore/db-client';
import type { AllFilter } from '../event-store.port';

export type CheckpointReached = (subscription: AllStreamSubscription, position: Position) => void;

/**
 * The server-side filter for a subscription to $all, so a projection is not sent every record of the log: the
 * stream prefixes when there are some, else the event types (as prefixes: the exact match is ours), else only
 * the exclusion of EventStoreDB's own `$` records. The server then sends checkpoints while it skips records,
 * which `checkpointReached` receives. The adapter still filters each record itself: the server's filter can
 * only let through more than the port's, never less.
 */
export function serverFilterOf(filter: AllFilter | undefined, checkpointReached: CheckpointReached): Filter {
  const prefixes = filter?.streamPrefixes?.filter((prefix) => prefix !== '');
  if (prefixes && prefixes.length > 0 && prefixes.length === filter?.streamPrefixes?.length) {
    return streamNameFilter({ prefixes, checkpointReached });
  }
  const types = filter?.eventTypes;
  if (types && types.length > 0 && types.every((type) => type !== '' && !type.startsWith('$'))) {
    return eventTypeFilter({ prefixes: [...types], checkpointReached });
  }
  return excludeSystemEvents({ checkpointReached });
}

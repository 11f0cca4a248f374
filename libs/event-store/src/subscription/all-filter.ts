import type { AllFilter, RecordedEvent } from '../event-store.port';

export function matchesFilter(event: RecordedEvent, filter: AllFilter): boolean {
  if (filter.eventTypes && !filter.eventTypes.includes(event.type)) return false;
  if (filter.streamPrefixes && !filter.streamPrefixes.some((prefix) => event.streamName.startsWith(prefix))) {
    return false;
  }
  return true;
}

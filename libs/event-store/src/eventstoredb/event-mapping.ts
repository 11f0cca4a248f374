import {
  type EventData as ClientEventData,
  type RecordedEvent as ClientRecordedEvent,
  type JSONType,
  jsonEvent,
} from '@eventstore/db-client';
import type { EventData, EventMetadata, RecordedEvent } from '../event-store.port';
import { type LogPosition, toCheckpoint } from './checkpoint';

/** An event as the client writes it: JSON data and JSON metadata under the caller's id, so a retry is idempotent. */
export function toClientEvent(event: EventData): ClientEventData {
  return jsonEvent({
    id: event.id,
    type: event.type,
    data: event.data as JSONType,
    metadata: event.metadata,
  });
}

/** The client's record in the port's shape; `position` is where the record sits in the transaction log. */
export function toRecordedEvent(event: ClientRecordedEvent, position: LogPosition): RecordedEvent {
  return {
    id: event.id,
    type: event.type,
    data: event.data,
    metadata: (event.metadata ?? {}) as EventMetadata,
    streamName: event.streamId,
    revision: Number(event.revision),
    globalPosition: Number(position.commit),
    checkpoint: toCheckpoint(position),
    // The client already truncates the server's 100 ns ticks to milliseconds; copy so callers cannot mutate ours.
    recordedAt: new Date(event.created.getTime()),
  };
}

/** Stream reads carry a position only from server 22.6 on; the port needs it for every event. */
export function positionOf(event: ClientRecordedEvent): LogPosition {
  if (!event.position) {
    throw new Error(`EventStoreDB returned event ${event.id} without a log position: server 22.6 or later is required`);
  }
  return event.position;
}

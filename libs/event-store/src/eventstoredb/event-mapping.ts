import {
  type EventData as ClientEventData,
  type RecordedEvent as ClientRecordedEvent,
  type JSONType,
  jsonEvent,
} from '@eventstore/db-client';
import type { EventData, EventMetadata, RecordedEvent } from '../event-store.port';
import { type LogPosition, toCheckpoint } from './checkpoint';

/** The server's "no position" (unsigned -1), sent for records whose place in $all it cannot tell. */
const NO_POSITION = 2n ** 64n - 1n;

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
    // The client already truncates the server's 100 ns ticks to milliseconds; a copy keeps ours unshared.
    recordedAt: new Date(event.created.getTime()),
  };
}

/** The record's place in $all, or undefined where the server did not say (stream reads before 22.6). */
export function knownPosition(position: LogPosition | undefined): LogPosition | undefined {
  if (!position) return undefined;
  const unknown = (value: bigint) => value < 0n || value === NO_POSITION;
  return unknown(position.commit) || unknown(position.prepare) ? undefined : position;
}

/** The port needs every event's place in $all; without it the event cannot be given a checkpoint. */
export function positionOf(event: ClientRecordedEvent): LogPosition {
  const position = knownPosition(event.position);
  if (!position) {
    throw new Error(`EventStoreDB returned event ${event.id} without a log position: server 22.6 or later is required`);
  }
  return position;
}

/**
 * When the event occurred, in ms: our metadata's `occurredAt`, which travels with the event to any store; the
 * store's recorded time only for an event without one.
 */
export function occurredAtOf(event: RecordedEvent): number {
  const occurredAt = event.metadata?.occurredAt;
  const time = typeof occurredAt === 'string' ? Date.parse(occurredAt) : Number.NaN;
  return Number.isNaN(time) ? event.recordedAt.getTime() : time;
}

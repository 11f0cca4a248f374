import type { EventData } from '../event-store.port';

/** An event the adapter refuses before calling the server: the client could not have sent it. */
export class EventNotSerialisableError extends Error {
  override readonly name = 'EventNotSerialisableError';

  constructor(stream: string, event: Pick<EventData, 'id' | 'type'>, reason: string, options?: { cause: unknown }) {
    super(`Event ${event.id} (${event.type}) for ${stream} cannot be written to EventStoreDB: ${reason}`, options);
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function jsonOf(value: unknown): string | undefined {
  const text: unknown = JSON.stringify(value);
  return typeof text === 'string' ? text : undefined;
}

/**
 * Throws unless every event has a UUID id and JSON-serialisable data and metadata. The client (6.2.1) serialises
 * inside `new Promise(async …)`: a throw there is swallowed, the call is left half-sent, and it ends only at its
 * deadline, as a failure that looks transient and would be retried. Checking first turns that into this error.
 */
export function assertSerialisable(stream: string, events: readonly EventData[]): void {
  for (const event of events) {
    if (typeof event.id !== 'string' || !UUID.test(event.id)) {
      throw new EventNotSerialisableError(stream, event, 'its id is not a UUID');
    }
    if (typeof event.type !== 'string' || event.type === '') {
      throw new EventNotSerialisableError(stream, event, 'it has no type');
    }
    for (const part of ['data', 'metadata'] as const) {
      let text: string | undefined;
      try {
        text = jsonOf(event[part]);
      } catch (error) {
        throw new EventNotSerialisableError(stream, event, `its ${part} is not JSON (${String(error)})`, {
          cause: error,
        });
      }
      if (text === undefined) throw new EventNotSerialisableError(stream, event, `its ${part} has no JSON form`);
    }
  }
}

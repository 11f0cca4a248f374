import type { JSONRecordedEvent } from '@eventstore/db-client';
import type { EventData } from '../event-store.port';
import { knownPosition, positionOf, toClientEvent, toRecordedEvent } from './event-mapping';

const metadata = {
  actor: { type: 'payment_app' as const, id: 'app_1' },
  correlationId: 'c0c0c0c0-0000-4000-8000-000000000001',
  causationId: 'c0c0c0c0-0000-4000-8000-000000000002',
  occurredAt: '2026-11-21T10:00:00.000Z',
};

function clientRecord(overrides: Partial<JSONRecordedEvent> = {}): JSONRecordedEvent {
  return {
    streamId: 'link-1',
    id: '3f1d6a52-8a1e-4c43-9d2e-5b8f6c7d8e9f',
    isJson: true,
    revision: 4n,
    type: 'LinkRequested',
    created: new Date('2026-11-21T10:00:00.123Z'),
    data: { linkId: 'lnk_1' },
    metadata,
    position: { commit: 5_000n, prepare: 5_000n },
    ...overrides,
  };
}

describe('mapping events to and from the EventStoreDB client', () => {
  it("writes the caller's id, type, JSON data and JSON metadata", () => {
    const event: EventData = {
      id: '6a1b7c2d-0000-4000-8000-000000000003',
      type: 'LinkRequested',
      data: { a: [1] },
      metadata,
    };

    expect(toClientEvent(event)).toEqual({
      id: event.id,
      contentType: 'application/json',
      type: 'LinkRequested',
      data: { a: [1] },
      metadata,
    });
  });

  it('reads a record as the port event: stream, revision, global position, checkpoint and recorded-at', () => {
    const record = clientRecord();

    expect(toRecordedEvent(record, { commit: 5_000n, prepare: 4_900n })).toEqual({
      id: record.id,
      type: 'LinkRequested',
      data: { linkId: 'lnk_1' },
      metadata,
      streamName: 'link-1',
      revision: 4,
      globalPosition: 5_000,
      checkpoint: '00000000000000005000:00000000000000004900',
      recordedAt: new Date('2026-11-21T10:00:00.123Z'),
    });
  });

  it('does not share the Date it was given', () => {
    const record = clientRecord();
    const recorded = toRecordedEvent(record, { commit: 1n, prepare: 1n });
    recorded.recordedAt.setTime(0);
    expect(record.created.getTime()).toBe(Date.parse('2026-11-21T10:00:00.123Z'));
  });

  it("treats the server's unsigned -1 as no position, and refuses to map an event without one", () => {
    const none = { commit: 2n ** 64n - 1n, prepare: 2n ** 64n - 1n };
    expect(knownPosition(none)).toBeUndefined();
    expect(knownPosition(undefined)).toBeUndefined();
    expect(knownPosition({ commit: 7n, prepare: 7n })).toEqual({ commit: 7n, prepare: 7n });
    expect(() => positionOf(clientRecord({ position: none }))).toThrow('without a log position');
    expect(positionOf(clientRecord())).toEqual({ commit: 5_000n, prepare: 5_000n });
  });
});

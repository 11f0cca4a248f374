import { randomUUID } from 'node:crypto';
import type { Provider } from '@nestjs/common';
import { type Command, CommandBus, CqrsModule } from '@nestjs/cqrs';
import { Test } from '@nestjs/testing';
import { aggregateStream } from '@lib/event-store/command-handling/handle-command';
import { EVENT_STORE, type EventMetadata, type EventStore } from '@lib/event-store/event-store.port';
import { PostgresEventStore } from '@lib/event-store/postgres/postgres-event-store';
import type { SqlBackend } from '@lib/platform/sql/testing/sql-backends';
import { bankDecider } from '../../domain/bank/bank.decider';
import type { BankEvent } from '../../domain/bank/bank.events';
import type { DomainErrorCode } from '../../domain/domain-error';
import { bankRegistryStream } from '../bank-streams';
import { BANK_REGISTRY, type BankRegistry } from '../ports/bank-registry.port';
import { CLOCK } from '../ports/clock.port';
import { WEBHOOK_KEY_SEALER, type WebhookKeySealer } from '../ports/webhook-key-sealer.port';

export const SPEC_NOW = '2026-11-20T12:00:00.000Z';
/** Before SPEC_NOW: when the given history happened. */
export const EARLIER = '2026-11-01T09:00:00.000Z';

/** A bank registered earlier with the sandbox's policy (the service notifies, no cooling-off). */
export const bankRegistered = (bankCode: string): BankEvent => ({
  type: 'BankRegistered',
  data: {
    bankCode,
    name: `Bank ${bankCode}`,
    policy: {
      customerNotifiedBy: 'service',
      coolingOffMinutes: 0,
      customerConfirmationRequired: false,
      phishingResistantFactorRequired: false,
    },
    at: EARLIER,
  },
});

export const operatorMetadata: EventMetadata = {
  actor: { type: 'operator', id: 'sandbox-operator' },
  correlationId: 'c-1',
  causationId: 'c-1',
  occurredAt: SPEC_NOW,
};

/** A stand-in for the cipher: reversible, marked, and never the material as given. */
export const fakeSealer: WebhookKeySealer = {
  seal: async (bankCode, material) => ({
    sealedMaterial: `sealed:${Buffer.from(material).toString('hex')}`,
    materialFingerprint: `fp:${bankCode}:${Buffer.from(material).toString('hex').slice(0, 16)}`,
  }),
  open: async (sealed) => Buffer.from(sealed.slice('sealed:'.length), 'hex').toString(),
  fingerprintOfSealed: async (bankCode, sealed) => `fp:${bankCode}:${sealed.slice('sealed:'.length).slice(0, 16)}`,
};

/** The port as its adapter answers it: the bank's stream folded at the moment of the read. */
const registryOver = (store: EventStore): BankRegistry => ({
  current: async (bankCode) => (await aggregateStream(store, bankRegistryStream(bankCode), bankDecider)).state,
});

export interface BankHandlerSpecification {
  readonly store: EventStore;
  given(
    bankCode: string,
    events: readonly BankEvent[],
  ): {
    when(command: Command<unknown>): {
      /** The events the command appended to the bank's stream, as the decider emitted them. */
      then(expected: readonly BankEvent[]): Promise<unknown>;
      thenNothingHappened(): Promise<unknown>;
      thenThrows(code: DomainErrorCode): Promise<void>;
    };
  };
  /** The command through the CommandBus, outside any given/when/then. */
  execute<R>(command: Command<R>): Promise<R>;
  /** Every event of the bank's stream, as stored (data and metadata). */
  eventsOf(bankCode: string): Promise<{ type: string; data: unknown; metadata: EventMetadata }[]>;
  close(): Promise<void>;
}

/**
 * Emmett's ApiSpecification, one level below HTTP: given events in a real store (PGlite or the server),
 * when a command goes through the CommandBus to its handler, then these new events on the bank's stream.
 */
export async function bankHandlerSpecification(
  backend: SqlBackend,
  handlers: Provider[],
  extraProviders: Provider[] = [],
): Promise<BankHandlerSpecification> {
  const { sql, dispose } = await backend.open();
  const store = await PostgresEventStore.create(sql);
  const moduleRef = await Test.createTestingModule({
    imports: [CqrsModule.forRoot()],
    providers: [
      { provide: EVENT_STORE, useValue: store },
      { provide: CLOCK, useValue: { now: () => new Date(SPEC_NOW) } },
      { provide: WEBHOOK_KEY_SEALER, useValue: fakeSealer },
      { provide: BANK_REGISTRY, useValue: registryOver(store) },
      ...extraProviders,
      ...handlers,
    ],
  }).compile();
  await moduleRef.init();
  const commands = moduleRef.get(CommandBus);

  const newEvents = async (bankCode: string, before: number) =>
    (await store.readStream(bankRegistryStream(bankCode), { fromRevision: before })).map((event) => ({
      type: event.type,
      data: event.data,
    }));

  return {
    store,
    given(bankCode, events) {
      const seeded = (async () => {
        if (events.length === 0) return 0;
        await store.appendToStream(
          bankRegistryStream(bankCode),
          events.map((event) => ({ id: randomUUID(), type: event.type, data: event.data, metadata: operatorMetadata })),
          'no_stream',
        );
        return events.length;
      })();
      return {
        when(command) {
          return {
            // biome-ignore lint/suspicious/noThenProperty: given/when/then is the specification's language; never awaited itself.
            async then(expected) {
              const before = await seeded;
              const result = await commands.execute(command);
              expect(await newEvents(bankCode, before)).toEqual(expected);
              return result;
            },
            async thenNothingHappened() {
              const before = await seeded;
              const result = await commands.execute(command);
              expect(await newEvents(bankCode, before)).toEqual([]);
              return result;
            },
            async thenThrows(code) {
              const before = await seeded;
              await expect(commands.execute(command)).rejects.toMatchObject({ name: 'DomainError', code });
              expect(await newEvents(bankCode, before)).toEqual([]);
            },
          };
        },
      };
    },
    execute: (command) => commands.execute(command),
    async eventsOf(bankCode) {
      return (await store.readStream(bankRegistryStream(bankCode))).map(({ type, data, metadata }) => ({
        type,
        data,
        metadata,
      }));
    },
    async close() {
      await moduleRef.close();
      await dispose();
    },
  };
}

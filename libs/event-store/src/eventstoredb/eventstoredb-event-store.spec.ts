import { randomUUID } from 'node:crypto';
import { GenericContainer, getContainerRuntimeClient, type StartedTestContainer, Wait } from 'testcontainers';
import type { EventStore } from '../event-store.port';
import { describeEventStoreContract } from '../testing/event-store.contract';
import { EventStoreDbEventStore } from './eventstoredb-event-store';
import { dockerEndpointCandidates, findDockerEndpoint } from './testing/docker-engine';
import { EVENTSTOREDB_IMAGE, EVENTSTOREDB_SERVER_SETTINGS } from './testing/eventstoredb-server';

/** docker-compose.yml's image; override to try another (e.g. a kurrentplatform/kurrentdb tag) without editing the test. */
const IMAGE = process.env.EVENTSTOREDB_TEST_IMAGE ?? EVENTSTOREDB_IMAGE;
const HTTP_AND_GRPC_PORT = 2113;

const dockerEndpoint = findDockerEndpoint();

async function untilWritable(store: EventStore, timeoutMs = 60_000): Promise<void> {
  const started = Date.now();
  for (;;) {
    try {
      await store.appendToStream(
        `probe-${randomUUID()}`,
        [
          {
            id: randomUUID(),
            type: 'ProbeWritten',
            data: {},
            metadata: {
              actor: { type: 'system', id: 'eventstoredb-contract' },
              correlationId: randomUUID(),
              causationId: randomUUID(),
              occurredAt: new Date().toISOString(),
            },
          },
        ],
        'no_stream',
      );
      return;
    } catch (error) {
      // A single node answers HTTP before it has elected itself leader and accepts writes.
      if (Date.now() - started > timeoutMs) throw new Error('EventStoreDB never accepted a write', { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

if (dockerEndpoint) {
  describe('EventStoreDB adapter', () => {
    let container: StartedTestContainer | undefined;

    beforeAll(async () => {
      try {
        await getContainerRuntimeClient();
      } catch (error) {
        throw new Error(
          `No Docker engine answers at ${dockerEndpoint}: start the engine (or unset DOCKER_HOST) to run the EventStoreDB contract`,
          { cause: error },
        );
      }
      container = await new GenericContainer(IMAGE)
        // docker-compose.yml's settings; in memory only here, since the container is thrown away after the run.
        .withEnvironment({ ...EVENTSTOREDB_SERVER_SETTINGS, EVENTSTORE_MEM_DB: 'true' })
        .withExposedPorts(HTTP_AND_GRPC_PORT)
        .withWaitStrategy(
          Wait.forHttp('/health/live', HTTP_AND_GRPC_PORT).forStatusCodeMatching(
            (status) => status >= 200 && status < 300,
          ),
        )
        .withStartupTimeout(180_000)
        .start();
    }, 300_000);

    afterAll(async () => {
      await container?.stop();
    }, 60_000);

    describeEventStoreContract(`EventStoreDB (${IMAGE}, insecure single node)`, async () => {
      if (!container) throw new Error('The EventStoreDB container did not start');
      const store = await EventStoreDbEventStore.connect(
        `esdb://${container.getHost()}:${container.getMappedPort(HTTP_AND_GRPC_PORT)}?tls=false`,
      );
      await untilWritable(store);
      return { store, cleanup: () => store.close() };
    });

    it("refuses an append over the server's EVENTSTORE_MAX_APPEND_SIZE with AppendTooLargeError", async () => {
      if (!container) throw new Error('The EventStoreDB container did not start');
      const store = await EventStoreDbEventStore.connect(
        `esdb://${container.getHost()}:${container.getMappedPort(HTTP_AND_GRPC_PORT)}?tls=false`,
      );
      try {
        const limit = Number(EVENTSTOREDB_SERVER_SETTINGS.EVENTSTORE_MAX_APPEND_SIZE);
        // Three events of a third of the limit each: every gRPC message fits, their sum does not.
        const part = 'x'.repeat(Math.ceil(limit / 3) + 1024);
        const events = [0, 1, 2].map((i) => ({
          id: randomUUID(),
          type: 'Large',
          data: { i, part },
          metadata: {
            actor: { type: 'system' as const, id: 'eventstoredb-contract' },
            correlationId: randomUUID(),
            causationId: randomUUID(),
            occurredAt: new Date().toISOString(),
          },
        }));
        await expect(store.appendToStream(`large-${randomUUID()}`, events, 'no_stream')).rejects.toMatchObject({
          name: 'AppendTooLargeError',
          maxAppendSize: limit,
        });
      } finally {
        await store.close();
      }
    });
  });
} else {
  const reason = 'no Docker engine answers on this machine; runs wherever Docker is';
  console.warn(
    `EventStoreDB adapter contract skipped: ${reason} (no DOCKER_HOST, nothing at ${dockerEndpointCandidates().join(', ')})`,
  );
  describe.skip(`EventStoreDB adapter contract (skipped: ${reason})`, () => {
    describeEventStoreContract('EventStoreDB', async () => {
      throw new Error('skipped: no Docker engine');
    });
  });
}

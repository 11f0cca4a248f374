import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '@lib/event-store/event-store.port';
import { PROJECTIONS } from '@lib/event-store/nest/projection-host';
import { PostgresEventStore } from '@lib/event-store/postgres/postgres-event-store';
import type { Projection } from '@lib/event-store/projections/projection';
import { PgliteSqlClient } from '@lib/platform/sql/pglite-sql-client';
import { SQL_CLIENT, type SqlExecutor } from '@lib/platform/sql/sql-client';
import { distinctiveLinkRequest } from './support/distinctive-link-request';
import { type ServiceUnderTest, startService } from './support/service-under-test';

// PGlite holds this file while the database is open and removes it when closed cleanly.
const PGLITE_LOCK = 'postmaster.pid';
// Two starts of the whole service on PGlite and a shutdown between them, on a machine busy with other suites.
jest.setTimeout(90_000);

const checkpointsOf = async (sql: SqlExecutor) =>
  new Map(
    (
      await sql.query<{ projection: string; checkpoint: string | null }>(
        'SELECT projection, checkpoint FROM es_projection_checkpoints',
      )
    ).map((row) => [row.projection, row.checkpoint ?? '']),
  );

/** The checkpoint after the last event of the log. */
const headOf = async (store: EventStore) => (await store.readAll(undefined, 100_000)).checkpoint ?? '';

describe('graceful shutdown on the embedded store', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kouza-link-shutdown-'));
  let service: ServiceUnderTest | undefined;

  afterEach(async () => {
    await service?.close();
    service = undefined;
    jest.restoreAllMocks();
  });

  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lets an in-flight request finish, stops without an error, closes PGlite, and starts again on the same data', async () => {
    service = await startService('embedded PGlite', { dataDir, processes: 'running' });
    expect(existsSync(join(dataDir, PGLITE_LOCK))).toBe(true);
    await service.app.listen(0, '127.0.0.1');
    const url = await service.app.getUrl();
    const token = await service.token();
    const projections = service.app.get<readonly Projection[]>(PROJECTIONS, { strict: false }).map(({ name }) => name);

    // A first link, and every projection caught up with it.
    const first = await service.app.inject({
      method: 'POST',
      url: '/v1/links',
      headers: { authorization: `Bearer ${token}` },
      payload: {
        ...distinctiveLinkRequest().body,
        bankAccount: { ...distinctiveLinkRequest().body.bankAccount, number: '1000001' },
      },
    });
    expect(first.statusCode).toBe(201);
    const head = await headOf(service.app.get(EVENT_STORE));
    const sql = service.app.get<SqlExecutor>(SQL_CLIENT);
    for (let tries = 0; ; tries += 1) {
      const caughtUp = await checkpointsOf(sql);
      if (projections.every((name) => (caughtUp.get(name) ?? '') >= head)) break;
      if (tries > 200) throw new Error(`projections did not catch up: ${JSON.stringify([...caughtUp])}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    // Hold the next command in its handler until shutdown has begun.
    const bus = service.app.get(CommandBus);
    const execute = bus.execute.bind(bus) as (command: object) => Promise<unknown>;
    let reached: () => void = () => undefined;
    const inHandler = new Promise<void>((resolve) => {
      reached = resolve;
    });
    bus.execute = (async (command: object) => {
      reached();
      await new Promise((resolve) => setTimeout(resolve, 300));
      return execute(command);
    }) as CommandBus['execute'];

    const errors = jest.spyOn(Logger.prototype, 'error');
    const inFlight = fetch(`${url}/v1/links`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'idempotency-key': randomUUID(),
      },
      body: JSON.stringify(distinctiveLinkRequest().body),
    });
    await inHandler;
    const closeStarted = Date.now();
    const closing = service.close();
    service = undefined;
    const response = await inFlight;
    expect(response.status).toBe(201);
    // Its connection closes after the answer, so the server's close does not wait out the keep-alive timeout.
    expect(response.headers.get('connection')).toBe('close');
    const link = (await response.json()) as { id: string };
    await closing;
    expect(Date.now() - closeStarted).toBeLessThan(5_000);

    expect(errors).not.toHaveBeenCalled();
    expect(existsSync(join(dataDir, PGLITE_LOCK))).toBe(false);

    // Each projection stopped at a checkpoint it committed: none lost, none past the log.
    const stopped = await PgliteSqlClient.open(dataDir);
    try {
      const checkpoints = await checkpointsOf(stopped);
      const finalHead = await headOf(await PostgresEventStore.create(stopped));
      for (const name of projections) {
        expect({ name, atLeastTheFirstHead: (checkpoints.get(name) ?? '') >= head }).toEqual({
          name,
          atLeastTheFirstHead: true,
        });
        expect((checkpoints.get(name) ?? '') <= finalHead).toBe(true);
      }
    } finally {
      await stopped.close();
    }

    service = await startService('embedded PGlite', { dataDir, processes: 'running' });
    const again = await service.app.inject({
      method: 'GET',
      url: `/v1/links/${link.id}`,
      headers: { authorization: `Bearer ${await service.token()}` },
    });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ id: link.id, status: 'awaiting_bank_authentication' });
    expect(projections.length).toBeGreaterThan(0);
  });
});

import { randomBytes, randomUUID } from 'node:crypto';
import {
  Body,
  type CanActivate,
  Controller,
  type ExecutionContext,
  Get,
  Inject,
  Injectable,
  Post,
  Res,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import type { FastifyReply } from 'fastify';
import { PROBLEM_CONTENT_TYPE } from '../problem/problem';
import { ProblemException } from '../problem/problem.exception';
import { ProblemFilter } from '../problem/problem.filter';
import { SQL_CLIENT, type SqlClient } from '../sql/sql-client';
import { type IsolatedSqlClient, SQL_BACKENDS } from '../sql/testing/sql-backends';
import { IdempotencyInterceptor, type IdempotentRequest } from './idempotency.interceptor';
import { IdempotencyStore } from './idempotency-store';

const DISTINCTIVE = 'receipt-zq81-wv';
const DAY_MS = 24 * 60 * 60 * 1000;

/** What the test controls and observes of the payment handler. */
class PaymentsDouble {
  executions = 0;
  failure: 422 | 500 | undefined;
  hold: Promise<void> | undefined;
  entered: () => void = () => undefined;
}

@Injectable()
class TestClientGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<IdempotentRequest>();
    const clientId = request.headers['x-test-client'];
    if (typeof clientId === 'string') request.user = { clientId };
    return true;
  }
}

@Controller('payments')
@UseGuards(TestClientGuard)
@UseInterceptors(IdempotencyInterceptor)
class PaymentsController {
  constructor(
    @Inject(PaymentsDouble) private readonly payments: PaymentsDouble,
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
  ) {}

  @Post()
  async create(@Body() body: { amount?: number }, @Res({ passthrough: true }) reply: FastifyReply) {
    const run = ++this.payments.executions;
    this.payments.entered();
    if (this.payments.hold) await this.payments.hold;
    // Real handlers use the database while the key is held: on PGlite that is the one connection.
    await this.sql.query('SELECT 1');
    if (this.payments.failure === 422) {
      throw new ProblemException({ status: 422, code: 'payment_refused', detail: `Refused, run ${run}.` });
    }
    if (this.payments.failure === 500) throw new Error('the ledger went away');
    reply.header('location', `/payments/pay_${run}`);
    return { id: `pay_${run}`, amount: body.amount, receipt: `${DISTINCTIVE}-${run}` };
  }

  @Get()
  list() {
    return { executions: ++this.payments.executions };
  }
}

describe.each(SQL_BACKENDS)('Idempotency-Key on a Fastify app over $name', (backend) => {
  let isolated: IsolatedSqlClient;
  let app: NestFastifyApplication;
  let payments: PaymentsDouble;
  let now = new Date('2026-11-20T10:00:00Z');

  beforeAll(async () => {
    isolated = await backend.open();
    const store = new IdempotencyStore(isolated.sql, randomBytes(32).toString('base64'), { clock: () => now });
    await store.ensureSchema();
    payments = new PaymentsDouble();
    const moduleRef = await Test.createTestingModule({
      controllers: [PaymentsController],
      providers: [
        { provide: PaymentsDouble, useValue: payments },
        { provide: SQL_CLIENT, useValue: isolated.sql },
        { provide: IdempotencyStore, useValue: store },
      ],
    }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: false });
    app.useGlobalFilters(new ProblemFilter());
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });

  afterAll(async () => {
    await app?.close();
    await isolated?.dispose();
  });

  beforeEach(() => {
    payments.executions = 0;
    payments.failure = undefined;
    payments.hold = undefined;
    payments.entered = () => undefined;
  });

  const newKey = () => `key-${randomUUID()}`;

  async function post(
    request: { key?: string | string[]; client?: string; body?: object; url?: string } = {},
  ): Promise<Awaited<ReturnType<NestFastifyApplication['inject']>>> {
    return app.inject({
      method: 'POST',
      url: request.url ?? '/payments',
      headers: {
        'content-type': 'application/json',
        ...(request.key === undefined ? {} : { 'idempotency-key': request.key }),
        ...(request.client === undefined ? {} : { 'x-test-client': request.client }),
      },
      payload: JSON.stringify(request.body ?? { amount: 1200 }),
    });
  }

  it('runs the handler for the first request with a key and answers as it would without one', async () => {
    const response = await post({ key: newKey(), client: 'app-a' });
    expect(response.statusCode).toBe(201);
    expect(response.headers.location).toBe('/payments/pay_1');
    expect(response.headers['idempotent-replayed']).toBeUndefined();
    expect(response.json()).toEqual({ id: 'pay_1', amount: 1200, receipt: `${DISTINCTIVE}-1` });
    expect(payments.executions).toBe(1);
  });

  it('replays the recorded status, body and Location without running the handler again', async () => {
    const key = newKey();
    const first = await post({ key, client: 'app-a' });
    const retry = await post({ key, client: 'app-a' });
    expect(payments.executions).toBe(1);
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.headers.location).toBe(first.headers.location);
    expect(retry.headers['content-type']).toBe(first.headers['content-type']);
    expect(retry.body).toBe(first.body);
  });

  it('takes a body with the same members in another order for the same request', async () => {
    const key = newKey();
    await post({ key, client: 'app-a', body: { amount: 5, note: 'x' } });
    const retry = await post({ key, client: 'app-a', body: { note: 'x', amount: 5 } });
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(payments.executions).toBe(1);
  });

  it('answers 422 idempotency_key_reused to the same key with a different body, without running the handler', async () => {
    const key = newKey();
    await post({ key, client: 'app-a', body: { amount: 5 } });
    const reused = await post({ key, client: 'app-a', body: { amount: 6 } });
    expect(reused.statusCode).toBe(422);
    expect(reused.headers['content-type']).toBe(PROBLEM_CONTENT_TYPE);
    expect(reused.json()).toMatchObject({ status: 422, code: 'idempotency_key_reused' });
    expect(payments.executions).toBe(1);
  });

  it('answers 422 idempotency_key_reused to the same key and body sent to another URL', async () => {
    const key = newKey();
    await post({ key, client: 'app-a' });
    const reused = await post({ key, client: 'app-a', url: '/payments?dryRun=true' });
    expect(reused.statusCode).toBe(422);
    expect(payments.executions).toBe(1);
  });

  it('answers 409 idempotency_request_in_progress to a duplicate sent while the first still runs', async () => {
    const key = newKey();
    let finish: () => void = () => undefined;
    payments.hold = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const entered = new Promise<void>((resolve) => {
      payments.entered = resolve;
    });
    const first = post({ key, client: 'app-a' });
    await entered;

    const duplicate = await post({ key, client: 'app-a' });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json()).toMatchObject({ status: 409, code: 'idempotency_request_in_progress' });

    finish();
    expect((await first).statusCode).toBe(201);
    const afterwards = await post({ key, client: 'app-a' });
    expect(afterwards.headers['idempotent-replayed']).toBe('true');
    expect(payments.executions).toBe(1);
  });

  it('records a 4xx problem as the answer and replays it', async () => {
    const key = newKey();
    payments.failure = 422;
    const first = await post({ key, client: 'app-a' });
    expect(first.statusCode).toBe(422);
    payments.failure = undefined;

    const retry = await post({ key, client: 'app-a' });
    expect(retry.statusCode).toBe(422);
    expect(retry.headers['content-type']).toBe(PROBLEM_CONTENT_TYPE);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toBe(first.body);
    expect(retry.json()).toMatchObject({ code: 'payment_refused', detail: 'Refused, run 1.' });
    expect(payments.executions).toBe(1);
  });

  it('records nothing for a 500, so the retry runs the handler', async () => {
    const key = newKey();
    payments.failure = 500;
    const first = await post({ key, client: 'app-a' });
    expect(first.statusCode).toBe(500);
    payments.failure = undefined;

    const retry = await post({ key, client: 'app-a' });
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    expect(retry.json()).toMatchObject({ id: 'pay_2' });
    expect(payments.executions).toBe(2);
  });

  it("keeps one client's key apart from the same key of another client", async () => {
    const key = newKey();
    await post({ key, client: 'app-a', body: { amount: 5 } });
    const other = await post({ key, client: 'app-b', body: { amount: 6 } });
    expect(other.statusCode).toBe(201);
    expect(other.headers['idempotent-replayed']).toBeUndefined();
    expect(other.json()).toMatchObject({ id: 'pay_2', amount: 6 });
    expect(payments.executions).toBe(2);
  });

  it('scopes requests without an authenticated client together, apart from every client', async () => {
    const key = newKey();
    await post({ key });
    expect((await post({ key })).headers['idempotent-replayed']).toBe('true');
    expect((await post({ key, client: 'app-a' })).headers['idempotent-replayed']).toBeUndefined();
    expect(payments.executions).toBe(2);
  });

  it('runs the handler again once the record has expired', async () => {
    const key = newKey();
    await post({ key, client: 'app-a' });
    now = new Date(now.getTime() + DAY_MS);

    const later = await post({ key, client: 'app-a' });
    expect(later.statusCode).toBe(201);
    expect(later.headers['idempotent-replayed']).toBeUndefined();
    expect(later.json()).toMatchObject({ id: 'pay_2' });
    expect((await post({ key, client: 'app-a' })).headers['idempotent-replayed']).toBe('true');
    expect(payments.executions).toBe(2);
  });

  it('runs the handler every time for requests without a key', async () => {
    expect((await post({ client: 'app-a' })).statusCode).toBe(201);
    const again = await post({ client: 'app-a' });
    expect(again.headers['idempotent-replayed']).toBeUndefined();
    expect(payments.executions).toBe(2);
  });

  it('leaves requests other than POST alone', async () => {
    const key = newKey();
    const get = () => app.inject({ method: 'GET', url: '/payments', headers: { 'idempotency-key': key } });
    expect((await get()).json()).toEqual({ executions: 1 });
    expect((await get()).json()).toEqual({ executions: 2 });
  });

  it.each([
    ['empty', ''],
    ['with a space', 'key 1'],
    ['of 256 characters', 'k'.repeat(256)],
    ['not ASCII', 'clé-1'],
    ['sent twice', ['key-1', 'key-2']],
  ])('answers 400 invalid_idempotency_key to a key %s, without running the handler', async (_, key) => {
    const response = await post({ key, client: 'app-a' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ status: 400, code: 'invalid_idempotency_key' });
    expect(payments.executions).toBe(0);
  });

  it("takes the draft's quoted form for the same key as the bare one", async () => {
    const key = 'k'.repeat(255);
    expect((await post({ key: `"${key}"`, client: 'app-q' })).statusCode).toBe(201);
    expect((await post({ key, client: 'app-q' })).headers['idempotent-replayed']).toBe('true');
    expect(payments.executions).toBe(1);
  });

  it('keeps neither the response body nor the key in plaintext in the table', async () => {
    const key = newKey();
    const response = await post({ key, client: 'app-a' });
    expect(response.body).toContain(DISTINCTIVE);

    const rows = await isolated.sql.query<{ row: string }>(
      'SELECT to_jsonb(r)::text AS row FROM idempotency_records r',
    );
    expect(rows.length).toBeGreaterThan(0);
    const table = rows.map(({ row }) => row).join('\n');
    expect(table).toContain('app-a');
    expect(table).not.toContain(DISTINCTIVE);
    expect(table).not.toContain(key);
  });
});

import type { IncomingMessage } from 'node:http';
import {
  Body,
  Controller,
  ForbiddenException,
  Get,
  HttpCode,
  Logger,
  type MiddlewareConsumer,
  Module,
  type NestMiddleware,
  type NestModule,
  Post,
  UnauthorizedException,
} from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { Type } from 'class-transformer';
import { IsInt, IsString, Min, ValidateNested } from 'class-validator';
import { PROBLEM_CONTENT_TYPE } from './problem';
import { ProblemException } from './problem.exception';
import { ProblemFilter, sendFrameworkErrorProblem } from './problem.filter';
import { validationPipe } from './validation-pipe';

class CustomerDto {
  @IsString() reference!: string;
}

class PaymentDto {
  @IsInt() @Min(1) amount!: number;
  @ValidateNested() @Type(() => CustomerDto) customer!: CustomerDto;
}

@Controller('test')
class TestController {
  @Post('payments')
  @HttpCode(200)
  pay(@Body() body: PaymentDto) {
    return { isDto: body instanceof PaymentDto, amount: body.amount };
  }

  @Get('problem')
  problem() {
    throw new ProblemException({ status: 409, code: 'account_locked', title: 'Account locked', detail: 'Try later.' });
  }

  @Get('crash')
  crash() {
    throw new Error('db said: duplicate key (number)=(1234567)');
  }

  @Get('unauthorized')
  unauthorized() {
    throw new UnauthorizedException('token expired at 12:00 for user-123');
  }

  @Get('items/:id')
  item() {
    return {};
  }

  @Get('forbidden')
  forbidden() {
    throw new ForbiddenException();
  }
}

class RefusingMiddleware implements NestMiddleware {
  use(): void {
    throw new ForbiddenException();
  }
}

@Module({ controllers: [TestController] })
class TestModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RefusingMiddleware).forRoutes('test/guarded');
  }
}

describe('ProblemFilter on a Fastify app', () => {
  let app: NestFastifyApplication;
  const logged = jest.spyOn(Logger.prototype, 'error');

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [TestModule] }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter({ bodyLimit: 1024 }), {
      logger: false,
    });
    app.useGlobalFilters(new ProblemFilter());
    app.useGlobalPipes(validationPipe());
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });

  afterAll(async () => {
    await app.close();
  });

  beforeEach(() => logged.mockClear());

  const postJson = (payload: string, headers: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url: '/test/payments',
      headers: { 'content-type': 'application/json', ...headers },
      payload,
    });

  it('lets a valid body through, transformed into its DTO', async () => {
    const response = await postJson(JSON.stringify({ amount: 5, customer: { reference: 'user-1' } }));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ isDto: true, amount: 5 });
  });

  it('answers malformed JSON with 400 malformed_json as problem+json', async () => {
    const response = await postJson('{"amount": 5,');
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toBe(PROBLEM_CONTENT_TYPE);
    expect(response.json()).toMatchObject({
      type: 'https://kouza-link.example/problems/malformed_json',
      status: 400,
      code: 'malformed_json',
    });
  });

  it('answers an empty JSON body with malformed_json', async () => {
    const response = await postJson('');
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('malformed_json');
  });

  it('names an unknown field in validation_failed', async () => {
    const response = await postJson(JSON.stringify({ amount: 5, customer: { reference: 'r' }, extra: 1 }));
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toBe(PROBLEM_CONTENT_TYPE);
    expect(response.json()).toMatchObject({
      status: 400,
      code: 'validation_failed',
      errors: [{ field: 'extra', message: 'property extra should not exist' }],
    });
  });

  it('names mistyped fields, nested ones by their dotted path, without echoing values', async () => {
    const response = await postJson(JSON.stringify({ amount: 'five', customer: { reference: 90012345 } }));
    const body = response.json();
    expect(response.statusCode).toBe(400);
    expect(body.code).toBe('validation_failed');
    expect(body.errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['amount', 'customer.reference']),
    );
    expect(response.body).not.toContain('five');
    expect(response.body).not.toContain('90012345');
  });

  it('answers a body that is not an object with validation_failed', async () => {
    const response = await postJson('[1,2]');
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('validation_failed');
  });

  it('answers an oversize body with 413 payload_too_large', async () => {
    const response = await postJson(JSON.stringify({ amount: 1, customer: { reference: 'x'.repeat(2000) } }));
    expect(response.statusCode).toBe(413);
    expect(response.headers['content-type']).toBe(PROBLEM_CONTENT_TYPE);
    expect(response.json()).toMatchObject({ status: 413, code: 'payload_too_large' });
  });

  it('answers an unsupported content type with 415 unsupported_media_type', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/test/payments',
      headers: { 'content-type': 'application/xml' },
      payload: '<payment/>',
    });
    expect(response.statusCode).toBe(415);
    expect(response.json()).toMatchObject({ status: 415, code: 'unsupported_media_type' });
  });

  it('answers an unknown route with 404 not_found without repeating the path', async () => {
    const response = await app.inject({ method: 'GET', url: '/nowhere/0001-001-1234567?number=1234567' });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toBe(PROBLEM_CONTENT_TYPE);
    expect(response.json()).toEqual({
      type: 'https://kouza-link.example/problems/not_found',
      title: 'Not Found',
      status: 404,
      code: 'not_found',
    });
  });

  it('renders a thrown ProblemException as it is', async () => {
    const response = await app.inject({ method: 'GET', url: '/test/problem' });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toEqual({
      type: 'https://kouza-link.example/problems/account_locked',
      title: 'Account locked',
      status: 409,
      detail: 'Try later.',
      code: 'account_locked',
    });
    expect(logged).not.toHaveBeenCalled();
  });

  it('answers a plain Error with 500 internal_error, leaking nothing, and logs it without its message', async () => {
    const response = await app.inject({ method: 'GET', url: '/test/crash' });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({
      type: 'https://kouza-link.example/problems/internal_error',
      title: 'Internal Server Error',
      status: 500,
      code: 'internal_error',
    });
    expect(response.body).not.toMatch(/1234567|duplicate|at .*\.ts/);
    expect(logged).toHaveBeenCalledTimes(1);
    const [message, frames] = logged.mock.calls[0] ?? [];
    expect(message).toContain('Unhandled Error on GET /test/crash');
    expect(frames).toContain('problem.filter.spec.ts');
    expect(`${message} ${frames}`).not.toContain('1234567');
  });

  it('maps 401 to unauthorized without the exception message, and 403 to forbidden', async () => {
    const unauthorized = await app.inject({ method: 'GET', url: '/test/unauthorized' });
    expect(unauthorized.statusCode).toBe(401);
    expect(unauthorized.json()).toEqual({
      type: 'https://kouza-link.example/problems/unauthorized',
      title: 'Unauthorized',
      status: 401,
      code: 'unauthorized',
    });
    const forbidden = await app.inject({ method: 'GET', url: '/test/forbidden' });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().code).toBe('forbidden');
  });

  it('renders errors thrown by Nest middleware too', async () => {
    const response = await app.inject({ method: 'GET', url: '/test/guarded', headers: { 'x-request-id': 'req-7' } });
    expect(response.statusCode).toBe(403);
    expect(response.headers['content-type']).toBe(PROBLEM_CONTENT_TYPE);
    expect(response.headers['x-request-id']).toBe('req-7');
    expect(response.json().code).toBe('forbidden');
  });

  it('keeps the request id the app already put on the reply', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [TestModule] }).compile();
    const adapter = new FastifyAdapter();
    adapter.getInstance().addHook('onRequest', async (_request, reply) => {
      reply.header('x-request-id', 'assigned-by-app');
    });
    const other = moduleRef.createNestApplication<NestFastifyApplication>(adapter, { logger: false });
    other.useGlobalFilters(new ProblemFilter());
    other.useGlobalPipes(validationPipe());
    await other.init();
    await other.getHttpAdapter().getInstance().ready();
    try {
      const malformed = await other.inject({
        method: 'POST',
        url: '/test/payments',
        headers: { 'content-type': 'application/json', 'x-request-id': 'from-caller' },
        payload: '{',
      });
      expect(malformed.headers['x-request-id']).toBe('assigned-by-app');
      const thrown = await other.inject({ method: 'GET', url: '/test/problem' });
      expect(thrown.headers['x-request-id']).toBe('assigned-by-app');
    } finally {
      await other.close();
    }
  });

  it('renders the router refusals Nest never sees as problems, given as frameworkErrors', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [TestModule] }).compile();
    const adapter = new FastifyAdapter({
      maxParamLength: 20,
      frameworkErrors: sendFrameworkErrorProblem,
      genReqId: (request: IncomingMessage) => `id-of-${String(request.headers['x-request-id'])}`,
    });
    const other = moduleRef.createNestApplication<NestFastifyApplication>(adapter, { logger: false });
    other.useGlobalFilters(new ProblemFilter());
    await other.init();
    await other.getHttpAdapter().getInstance().ready();
    try {
      const tooLong = await other.inject({ method: 'GET', url: `/test/items/${'1234567'.repeat(5)}` });
      expect(tooLong.statusCode).toBe(414);
      expect(tooLong.headers['content-type']).toBe(PROBLEM_CONTENT_TYPE);
      expect(tooLong.json()).toMatchObject({ status: 414, code: 'uri_too_long' });
      expect(tooLong.body).not.toContain('1234567');
      const badUrl = await other.inject({
        method: 'GET',
        url: '/test/items/%E0%A4%A',
        headers: { 'x-request-id': 'r-1' },
      });
      expect(badUrl.statusCode).toBe(400);
      expect(badUrl.headers['content-type']).toBe(PROBLEM_CONTENT_TYPE);
      expect(badUrl.json()).toMatchObject({ status: 400, code: 'malformed_url' });
      // No hook ran: the id is the one the app chose for the request.
      expect(badUrl.headers['x-request-id']).toBe('id-of-r-1');
    } finally {
      await other.close();
    }
  });

  it('echoes the caller X-Request-Id on an error', async () => {
    const response = await app.inject({ method: 'GET', url: '/test/problem', headers: { 'x-request-id': 'req-42' } });
    expect(response.headers['x-request-id']).toBe('req-42');
  });

  it('generates a UUID request id when the caller sent none, or an unusable one', async () => {
    const none = await app.inject({ method: 'GET', url: '/nowhere' });
    expect(none.headers['x-request-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const unusable = await app.inject({ method: 'GET', url: '/nowhere', headers: { 'x-request-id': 'a b<script>' } });
    expect(unusable.headers['x-request-id']).not.toBe('a b<script>');
    expect(unusable.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

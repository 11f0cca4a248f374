import { Body, Controller, HttpCode, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { runLoad } from '../http-load/load-plan';
import { type HttpFigures, httpFigures, originOf } from './http-figures';

@Controller('hello')
class HelloController {
  @Post()
  @HttpCode(201)
  hello(@Body() body: { customer?: { reference?: string } }): { id: string; reference: string | undefined } {
    return { id: 'lnk_hello', reference: body.customer?.reference };
  }
}

@Module({ controllers: [HelloController] })
class HelloModule {}

/**
 * The HTTP ceiling: NestJS on the same Fastify adapter, one route taking the same JSON body as
 * `POST /v1/links` and answering 201, under the same clients. Nothing else: no guard, no validation, no store.
 */
export async function measureHelloWorld(options: {
  clients: number;
  warmupMs: number;
  durationMs: number;
}): Promise<HttpFigures> {
  const app = await NestFactory.create<NestFastifyApplication>(HelloModule, new FastifyAdapter(), { logger: false });
  await app.listen(0, '127.0.0.1');
  try {
    const origin = originOf(app);
    const plan = { scenario: 'hello' as const, origin, clients: options.clients, firstSequence: 0 };
    await runLoad({ ...plan, durationMs: options.warmupMs });
    const outcome = await runLoad({ ...plan, durationMs: options.durationMs });
    return httpFigures(outcome, 'hello');
  } finally {
    await app.close();
  }
}

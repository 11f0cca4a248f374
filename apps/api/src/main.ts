import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Controller, Get, Module } from '@nestjs/common';

@Controller('health')
class H {
  @Get('ready') ready() {
    return { status: 'ok' };
  }
}
@Module({ controllers: [H] })
class M {}

async function main() {
  const app = await NestFactory.create<NestFastifyApplication>(M, new FastifyAdapter());
  await app.listen(Number(process.env.PORT ?? 3000), '0.0.0.0');
}
void main();

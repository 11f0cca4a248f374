import type { AddressInfo } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { LoadOutcome } from '../http-load/load-plan';
import { perSecond, type Summary, summarize } from '../stats';

export interface HttpFigures {
  requests: number;
  requestsPerSecond: number | undefined;
  latencyMs: Summary | undefined;
  /** Answers by status; anything but the expected one is an error. */
  statuses: Record<string, number>;
  firstError?: string;
}

/** Throughput and latency of one kind of request in a load run. */
export function httpFigures(outcome: LoadOutcome, name: string): HttpFigures {
  const figures = outcome.requests[name] ?? { latenciesMs: [], statuses: {} };
  return {
    requests: figures.latenciesMs.length,
    requestsPerSecond: perSecond(figures.latenciesMs.length, outcome.endedAt - outcome.startedAt),
    latencyMs: summarize(figures.latenciesMs),
    statuses: figures.statuses,
    ...(figures.firstError ? { firstError: figures.firstError } : {}),
  };
}

/** `http://127.0.0.1:<port>` of an app listening on an ephemeral port of the loopback interface. */
export function originOf(app: NestFastifyApplication): string {
  const address = app.getHttpServer().address() as AddressInfo;
  return `http://127.0.0.1:${address.port}`;
}

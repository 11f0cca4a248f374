import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { signWebhook } from '@lib/platform/webhooks/sign-webhook';
import { KeepAliveClient } from './http-client';
import type { LinkTiming, LoadOutcome, LoadPlan, RequestFigures } from './load-plan';
import { authenticationSucceededBody, linkRequestBody, SANDBOX_BANK } from './lifecycle-requests';

/**
 * The load generator: N clients in a worker thread of the bench's process, each sending its next request
 * as soon as its last one is answered (a closed loop), until the time is up. A thread of its own, so that
 * the service under test keeps the main event loop (and, on PGlite, the database that runs on it).
 */
async function run(plan: LoadPlan): Promise<LoadOutcome> {
  const client = new KeepAliveClient(new URL(plan.origin), plan.clients);
  const figures = new Map<string, RequestFigures>();
  const figuresOf = (name: string) => {
    let entry = figures.get(name);
    if (!entry) {
      entry = { latenciesMs: [], statuses: {} };
      figures.set(name, entry);
    }
    return entry;
  };
  const timed = async (name: string, send: () => ReturnType<KeepAliveClient['send']>) => {
    const started = performance.now();
    try {
      const answer = await send();
      const entry = figuresOf(name);
      entry.latenciesMs.push(performance.now() - started);
      entry.statuses[answer.status] = (entry.statuses[answer.status] ?? 0) + 1;
      return answer;
    } catch (error) {
      const entry = figuresOf(name);
      entry.statuses.network = (entry.statuses.network ?? 0) + 1;
      if (!entry.firstError) entry.firstError = error instanceof Error ? error.message : String(error);
      return undefined;
    }
  };
  const note = (name: string, answer: { status: number; body: string } | undefined, expected: number) => {
    if (answer && answer.status !== expected) {
      const entry = figuresOf(name);
      entry.firstError ??= `${answer.status} ${answer.body.slice(0, 300)}`;
    }
    return answer?.status === expected;
  };

  const links: LinkTiming[] = [];
  let sequence = plan.firstSequence;
  const startedAt = Date.now();
  const deadline = startedAt + plan.durationMs;

  const hello = async () => {
    const body = linkRequestBody(sequence++);
    const answer = await timed('hello', () =>
      client.send('POST', '/hello', { 'content-type': 'application/json' }, body),
    );
    note('hello', answer, 201);
  };

  const lifecycle = async () => {
    const token = plan.token as string;
    const requestedAt = Date.now();
    const requested = await timed('POST /v1/links', () =>
      client.send(
        'POST',
        '/v1/links',
        {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'idempotency-key': randomUUID(),
        },
        linkRequestBody(sequence++),
      ),
    );
    if (!note('POST /v1/links', requested, 201) || !requested) return;
    const linkId = (JSON.parse(requested.body) as { id: string }).id;
    const body = authenticationSucceededBody(linkId);
    const headers = signWebhook({
      id: `msg_${randomUUID()}`,
      timestamp: new Date(),
      body,
      key: { kind: 'hmac', secret: plan.bankSecret as string },
    });
    const webhook = await timed('POST /v1/banks/{code}/events', () =>
      client.send('POST', `/v1/banks/${SANDBOX_BANK}/events`, { ...headers, 'content-type': 'application/json' }, body),
    );
    if (!note('POST /v1/banks/{code}/events', webhook, 204)) return;
    links.push({ linkId, requestedAt, authenticatedAt: Date.now() });
  };

  const step = plan.scenario === 'hello' ? hello : lifecycle;
  await Promise.all(
    Array.from({ length: plan.clients }, async () => {
      for (let done = 0; Date.now() < deadline && done < (plan.maxIterations ?? Number.POSITIVE_INFINITY); done++) {
        await step();
      }
    }),
  );
  const endedAt = Date.now();
  client.close();
  return { startedAt, endedAt, requests: Object.fromEntries(figures), links, nextSequence: sequence };
}

if (!isMainThread && parentPort) {
  const port = parentPort;
  run(workerData as LoadPlan).then(
    (outcome) => port.postMessage({ outcome }),
    (error: unknown) => port.postMessage({ error: error instanceof Error ? error.stack : String(error) }),
  );
}

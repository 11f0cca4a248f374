import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { KeepAliveClient } from '../http-load/http-client';
import { runLoad } from '../http-load/load-plan';
import { BenchWebhookReceiver, type ReceivedWebhookRecord } from '../http-load/webhook-receiver';
import { perSecond, ratio, type Summary, summarize } from '../stats';
import { waitForActivation } from './lifecycle';
import type { RunningService } from './service';
import { splitClients } from './under-attack';

/** The same receiver hit by a plain HTTP client (node:http), `concurrency` loops POSTing a webhook's body. */
export interface WebhookCeiling {
  concurrency: number;
  /** `false`: a new connection per request, as the service's sender makes (it connects to the address it checked). */
  keepAlive: boolean;
  requests: number;
  requestsPerSecond: number | undefined;
  latencyMs: Summary | undefined;
}

export interface WebhooksOutFigures {
  /** Endpoints of the sandbox app registered at the receiver (each served on its own by the dispatcher). */
  endpoints: number;
  /** The raw HTTP client ceiling, new connection per request (what the ratios use), then keep-alive. */
  ceiling: WebhookCeiling;
  keepAliveCeiling: WebhookCeiling;
  /**
   * Throughput: a replay queues the app's existing events to every endpoint at once, and the dispatcher drains
   * the backlog: from the first replay request to the last delivery received.
   */
  backlog: {
    queued: number;
    delivered: number;
    seconds: number;
    deliveriesPerSecond: number | undefined;
    /** ÷ the ceiling's requests/s (new connections), and ÷ keep-alive. */
    ratioToCeiling: number | undefined;
    ratioToKeepAliveCeiling: number | undefined;
  };
  /**
   * Lag: the lifecycle load (half the clients) with the endpoints registered; for each delivery of an event of
   * that load, from the domain event's append (the webhook's `createdAt` is its `recordedAt`) to its arrival.
   */
  underLoad: {
    clients: number;
    links: number;
    /** Two events a link for the app (`link.notifying_customer`, `link.activated`) times the endpoints. */
    expected: number;
    delivered: number;
    deliveriesPerSecond: number | undefined;
    lagMs: Summary | undefined;
    /** Domain event → its delivery row (the process manager's part). */
    queueLagMs: Summary | undefined;
    /** Delivery row → received (the dispatcher's poll, claim, signing, the POST). */
    dispatchLagMs: Summary | undefined;
    /** Lag p50 ÷ the ceiling's request p50, and p99 ÷ p99. */
    lagP50Ratio: number | undefined;
    lagP99Ratio: number | undefined;
  };
}

/** A webhook body of the service's own (the app's first event), so the ceiling sends what the service sends. */
async function sampleBody(service: RunningService): Promise<string> {
  const [row] = await service.sql.query<{ body: string }>(
    `SELECT body FROM webhook_events WHERE audience_kind = 'payment_app' AND audience_id = 'sandbox-app'
      ORDER BY source_checkpoint LIMIT 1`,
  );
  return row?.body ?? JSON.stringify({ id: 'evt_bench', type: 'link.activated', createdAt: new Date(), data: {} });
}

async function measureCeiling(
  receiver: BenchWebhookReceiver,
  body: string,
  options: { concurrency: number; keepAlive: boolean; durationMs: number },
): Promise<WebhookCeiling> {
  const agent = options.keepAlive ? new Agent({ keepAlive: true, maxSockets: options.concurrency }) : false;
  const headers = {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    'webhook-id': 'evt_ceiling',
    'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
    'webhook-signature': `v1,${Buffer.alloc(32).toString('base64')}`,
  };
  const post = () =>
    new Promise<void>((resolve, reject) => {
      const outgoing = request(
        { host: '127.0.0.1', port: receiver.port, path: '/ceiling', method: 'POST', agent, headers },
        (response) => {
          response.resume();
          response.on('end', resolve);
          response.on('error', reject);
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  const latencies: number[] = [];
  const started = Date.now();
  const end = started + options.durationMs;
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (Date.now() < end) {
        const sent = performance.now();
        await post();
        latencies.push(performance.now() - sent);
      }
    }),
  );
  const elapsed = Date.now() - started;
  if (agent) agent.destroy();
  await receiver.take();
  return {
    concurrency: options.concurrency,
    keepAlive: options.keepAlive,
    requests: latencies.length,
    requestsPerSecond: perSecond(latencies.length, elapsed),
    latencyMs: summarize(latencies),
  };
}

async function waitForCount(receiver: BenchWebhookReceiver, count: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await receiver.count()) < count && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Webhooks out to a local receiver (a thread of its own), in the service of the lifecycle phase, after the
 * attack phase: endpoints are registered only now, so the earlier phases deliver nothing. First the ceiling
 * (a plain client against the same receiver, same concurrency as the endpoints), then a backlog drained by the
 * dispatcher (throughput), then the lifecycle load with the endpoints registered (lag from domain event to
 * delivery).
 */
export async function measureWebhooksOut(
  service: RunningService,
  options: {
    clients: number;
    endpoints: number;
    backlog: number;
    warmupMs: number;
    durationMs: number;
    firstSequence: number;
  },
): Promise<WebhooksOutFigures> {
  const receiver = await BenchWebhookReceiver.start();
  const api = new KeepAliveClient(new URL(service.origin), 1);
  const authorization = `Bearer ${service.appToken}`;
  const send = async (method: string, path: string, payload: unknown) => {
    const answer = await api.send(
      method,
      path,
      { authorization, 'content-type': 'application/json' },
      JSON.stringify(payload),
    );
    if (answer.status >= 300) throw new Error(`${method} ${path}: ${answer.status} ${answer.body}`);
    return JSON.parse(answer.body) as Record<string, unknown>;
  };
  try {
    const body = await sampleBody(service);
    const concurrency = options.endpoints;
    await measureCeiling(receiver, body, { concurrency, keepAlive: false, durationMs: options.warmupMs });
    const ceiling = await measureCeiling(receiver, body, {
      concurrency,
      keepAlive: false,
      durationMs: options.durationMs,
    });
    const keepAliveCeiling = await measureCeiling(receiver, body, {
      concurrency,
      keepAlive: true,
      durationMs: options.durationMs,
    });

    const endpointIds: string[] = [];
    for (let index = 0; index < options.endpoints; index++) {
      const created = await send('POST', '/v1/webhook-endpoints', {
        url: receiver.url(`/endpoint-${index}`),
        description: `bench ${index}`,
      });
      endpointIds.push(String(created.id));
    }

    // Backlog: the app's first events (as many as make about `backlog` deliveries over all endpoints), replayed.
    const perEndpoint = Math.max(1, Math.ceil(options.backlog / options.endpoints));
    const [last] = await service.sql.query<{ created_at: Date | string }>(
      `SELECT created_at FROM webhook_events WHERE audience_kind = 'payment_app' AND audience_id = 'sandbox-app'
        ORDER BY created_at, id LIMIT 1 OFFSET $1`,
      [perEndpoint - 1],
    );
    const until = last ? new Date(last.created_at).toISOString() : new Date().toISOString();
    await receiver.take();
    const replayedAt = Date.now();
    let queued = 0;
    for (const endpointId of endpointIds) {
      const replay = await send('POST', `/v1/webhook-endpoints/${endpointId}/replays`, {
        since: '2000-01-01T00:00:00Z',
        until,
      });
      queued += Number(replay.deliveries);
    }
    await waitForCount(receiver, queued, Math.max(60_000, queued * 50));
    const drained = await receiver.take();
    const lastArrival = Math.max(replayedAt, ...drained.map((record) => record.at));
    const backlogPerSecond = perSecond(drained.length, lastArrival - replayedAt);

    // Lag under the lifecycle load, the endpoints registered.
    const { legitimate } = splitClients(options.clients);
    const loadStart = Date.now();
    const outcome = await runLoad({
      scenario: 'lifecycle',
      origin: service.origin,
      clients: legitimate,
      token: service.appToken,
      bankSecret: service.bankSecret,
      durationMs: options.durationMs,
      firstSequence: options.firstSequence,
    });
    const activations = await waitForActivation(service, outcome.links, 60_000);
    const expected = 2 * activations.size * options.endpoints;
    await waitForCount(receiver, expected, 60_000);
    const received = (await receiver.take()).filter(
      (record) => record.createdAt !== undefined && Date.parse(record.createdAt) >= loadStart,
    );
    const lags = received.map((record) => record.at - Date.parse(record.createdAt as string));
    const { queueLags, dispatchLags } = await lagParts(service, endpointIds, received, loadStart);
    const lagMs = summarize(lags);
    const lastReceived = Math.max(loadStart, ...received.map((record) => record.at));
    return {
      endpoints: options.endpoints,
      ceiling,
      keepAliveCeiling,
      backlog: {
        queued,
        delivered: drained.length,
        seconds: (lastArrival - replayedAt) / 1000,
        deliveriesPerSecond: backlogPerSecond,
        ratioToCeiling: ratio(backlogPerSecond, ceiling.requestsPerSecond),
        ratioToKeepAliveCeiling: ratio(backlogPerSecond, keepAliveCeiling.requestsPerSecond),
      },
      underLoad: {
        clients: legitimate,
        links: outcome.links.length,
        expected,
        delivered: received.length,
        deliveriesPerSecond: perSecond(received.length, lastReceived - loadStart),
        lagMs,
        queueLagMs: summarize(queueLags),
        dispatchLagMs: summarize(dispatchLags),
        lagP50Ratio: ratio(lagMs?.p50, ceiling.latencyMs?.p50),
        lagP99Ratio: ratio(lagMs?.p99, ceiling.latencyMs?.p99),
      },
    };
  } finally {
    api.close();
    await receiver.close();
  }
}

/** The lag split at the delivery row: domain event → queued (process manager), queued → received (dispatcher). */
async function lagParts(
  service: RunningService,
  endpointIds: readonly string[],
  received: readonly ReceivedWebhookRecord[],
  since: number,
): Promise<{ queueLags: number[]; dispatchLags: number[] }> {
  const rows = await service.sql.query<{ endpoint_id: string; event_id: string; queued_at: Date | string }>(
    `SELECT d.endpoint_id, d.event_id, d.created_at AS queued_at FROM webhook_deliveries d
      JOIN webhook_events e ON e.id = d.event_id
     WHERE d.replay_id IS NULL AND e.created_at >= $1
       AND d.endpoint_id IN (SELECT jsonb_array_elements_text($2::jsonb))`,
    [new Date(since), JSON.stringify(endpointIds)],
  );
  const queuedAt = new Map(
    rows.map((row) => [`${row.endpoint_id}|${row.event_id}`, new Date(row.queued_at).getTime()]),
  );
  const queueLags: number[] = [];
  const dispatchLags: number[] = [];
  for (const record of received) {
    const index = Number(record.path.replace('/endpoint-', ''));
    const queued = queuedAt.get(`${endpointIds[index]}|${record.id}`);
    if (queued === undefined || record.createdAt === undefined) continue;
    queueLags.push(queued - Date.parse(record.createdAt));
    dispatchLags.push(record.at - queued);
  }
  return { queueLags, dispatchLags };
}

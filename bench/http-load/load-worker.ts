import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { signWebhook } from '@lib/platform/webhooks/sign-webhook';
import { KeepAliveClient } from './http-client';
import type { AttackLoadOutcome, AttackPlan, LinkTiming, LoadOutcome, LoadPlan, RequestFigures } from './load-plan';
import { answerLabelOf, attackLinkRequestBody, attackOutcomeOf, authenticationFailedBody } from './attack-requests';
import { authenticationSucceededBody, debitRequestBody, linkRequestBody, SANDBOX_BANK } from './lifecycle-requests';

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
  // The attackers (if any) start first; the legitimate clients' window, the one measured, begins after their lead.
  const attackStartedAt = Date.now();
  const startedAt = attackStartedAt + (plan.attack?.leadMs ?? 0);
  const deadline = startedAt + plan.durationMs;
  const attack = plan.attack ? runAttack(plan, plan.attack, deadline) : undefined;
  await new Promise((resolve) => setTimeout(resolve, Math.max(startedAt - Date.now(), 0)));

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

  // An app asking before it pulls money: its bound device and the end user's address, a key for retries.
  const debit = async (index: number) => {
    const { links, amount } = plan.debits as NonNullable<LoadPlan['debits']>;
    const link = links[index % links.length] as { linkId: string; deviceId: string };
    const answer = await timed('POST /v1/links/{id}/debits', () =>
      client.send(
        'POST',
        `/v1/links/${link.linkId}/debits`,
        {
          authorization: `Bearer ${plan.token as string}`,
          'content-type': 'application/json',
          'idempotency-key': randomUUID(),
        },
        debitRequestBody(sequence++, link.deviceId, amount, index),
      ),
    );
    note('POST /v1/links/{id}/debits', answer, 201);
  };

  const step = plan.scenario === 'hello' ? hello : plan.scenario === 'debits' ? debit : lifecycle;
  await Promise.all(
    Array.from({ length: plan.clients }, async (_, index) => {
      for (let done = 0; Date.now() < deadline && done < (plan.maxIterations ?? Number.POSITIVE_INFINITY); done++) {
        await step(index);
      }
    }),
  );
  const endedAt = Date.now();
  client.close();
  return {
    startedAt,
    endedAt,
    requests: Object.fromEntries(figures),
    links,
    nextSequence: sequence,
    ...(attack ? { attack: await attack } : {}),
  };
}

/**
 * The attacker clients, on connections of their own, until `deadline`: each tries one PIN on a fresh account
 * with its current device and customer, sends the bank's signed `authentication.failed` when the service
 * accepts the attempt, and moves on to the pool's next device and customer when it is refused `actor_blocked`.
 */
async function runAttack(plan: LoadPlan, attack: AttackPlan, deadline: number): Promise<AttackLoadOutcome> {
  const client = new KeepAliveClient(new URL(plan.origin), attack.clients);
  const token = plan.token as string;
  const outcome: AttackLoadOutcome = {
    startedAt: Date.now(),
    endedAt: 0,
    outcomes: { accepted: 0, actor_blocked: 0, other: 0 },
    otherAnswers: {},
    latenciesMs: [],
    failureWebhooks: { latenciesMs: [], statuses: {} },
    devicesTaken: 0,
    nextAttempt: attack.firstAttempt,
  };
  let nextDevice = 0;
  let nextCustomer = 0;
  const attacker = async () => {
    let actor = { device: nextDevice++, customer: nextCustomer++ };
    while (Date.now() < deadline) {
      const attempt = outcome.nextAttempt++;
      const started = performance.now();
      const answer = await client
        .send(
          'POST',
          '/v1/links',
          { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
          attackLinkRequestBody(attempt, actor, attack.pool),
        )
        .catch(() => undefined);
      outcome.latenciesMs.push(performance.now() - started);
      const result = attackOutcomeOf(answer);
      outcome.outcomes[result]++;
      if (result === 'other') {
        const label = answerLabelOf(answer);
        outcome.otherAnswers[label] = (outcome.otherAnswers[label] ?? 0) + 1;
        outcome.firstOther ??= answer ? `${answer.status} ${answer.body.slice(0, 300)}` : label;
      }
      if (result === 'actor_blocked') {
        actor = { device: nextDevice++, customer: nextCustomer++ };
        outcome.devicesTaken++;
      }
      if (result !== 'accepted' || !answer) continue;
      const body = authenticationFailedBody((JSON.parse(answer.body) as { id: string }).id);
      const headers = signWebhook({
        id: `msg_${randomUUID()}`,
        timestamp: new Date(),
        body,
        key: { kind: 'hmac', secret: plan.bankSecret as string },
      });
      const sent = performance.now();
      const webhook = await client
        .send('POST', `/v1/banks/${SANDBOX_BANK}/events`, { ...headers, 'content-type': 'application/json' }, body)
        .catch(() => undefined);
      const label = webhook ? String(webhook.status) : 'network';
      outcome.failureWebhooks.statuses[label] = (outcome.failureWebhooks.statuses[label] ?? 0) + 1;
      if (webhook) outcome.failureWebhooks.latenciesMs.push(performance.now() - sent);
      if (webhook?.status !== 204)
        outcome.failureWebhooks.firstError ??= `${label} ${webhook?.body.slice(0, 300) ?? ''}`;
    }
  };
  await Promise.all(Array.from({ length: attack.clients }, attacker));
  outcome.endedAt = Date.now();
  client.close();
  return outcome;
}

if (!isMainThread && parentPort) {
  const port = parentPort;
  run(workerData as LoadPlan).then(
    (outcome) => port.postMessage({ outcome }),
    (error: unknown) => port.postMessage({ error: error instanceof Error ? error.stack : String(error) }),
  );
}

import { ATTACK_POOL, type AttackOutcome, type AttackPool } from '../http-load/attack-requests';
import { type AttackLoadOutcome, runLoad } from '../http-load/load-plan';
import { perSecond, ratio, type Summary, summarize } from '../stats';
import { type LifecycleLoadFigures, lifecycleFigures, waitForActivation } from './lifecycle';
import type { RunningService } from './service';
import { StoreCallCounter, type StreamKindCalls } from './store-calls';

/** What the attacker clients did over their whole run (their lead included). */
export interface AttackFigures {
  clients: number;
  pool: AttackPool;
  seconds: number;
  /** Attempts: `POST /v1/links`, whatever the answer. */
  requests: number;
  requestsPerSecond: number | undefined;
  outcomes: Record<AttackOutcome, number>;
  /** Share of the attempts refused `actor_blocked`. */
  blockedShare: number | undefined;
  otherAnswers: Record<string, number>;
  firstOther?: string;
  latencyMs: Summary | undefined;
  /** The signed `authentication.failed` webhooks sent for the accepted attempts. */
  failureWebhooks: {
    requests: number;
    statuses: Record<string, number>;
    latencyMs: Summary | undefined;
    firstError?: string;
  };
  /** All the attackers' requests (attempts and webhooks) per second. */
  allRequestsPerSecond: number | undefined;
  devicesTaken: number;
}

export interface UnderAttackFigures {
  legitimateClients: number;
  attackerClients: number;
  /** The attackers start this long before the measured window of the legitimate clients. */
  attackLeadSeconds: number;
  /** The legitimate load alone: the lifecycle load of the lifecycle phase with `legitimateClients`. */
  alone: LifecycleLoadFigures;
  /** The same legitimate load, same service, right after, with the attack running alongside. */
  underAttack: LifecycleLoadFigures;
  /** Legitimate links/s to active under attack ÷ alone (the goal is ≥ 0.9). */
  linksPerSecondRatio: number | undefined;
  /** The same through the links' two requests (the HTTP side). */
  httpLinksPerSecondRatio: number | undefined;
  attack: AttackFigures;
  /** Requests the service answered per second (legitimate and attacker's) under attack ÷ legitimate alone. */
  serviceRequestsPerSecondRatio: number | undefined;
  /** The attackers' share of the requests the service answered under attack. */
  attackShareOfRequests: number | undefined;
  /** The service's stream reads and appends by stream kind, over each run (its drain included). */
  storeCalls: { alone: Record<string, StreamKindCalls>; underAttack: Record<string, StreamKindCalls> };
  /** Blocks the attack caused (`ActorBlocked` events), and the longest actor streams at the end. */
  actorBlocks: number;
  longestActorStreams: { kind: string; events: number }[];
}

/** Half the clients legitimate, the other half attackers (one at least of each). */
export function splitClients(clients: number): { legitimate: number; attackers: number } {
  const legitimate = Math.max(1, Math.floor(clients / 2));
  return { legitimate, attackers: Math.max(1, clients - legitimate) };
}

export function attackFigures(outcome: AttackLoadOutcome, clients: number, pool: AttackPool): AttackFigures {
  const span = outcome.endedAt - outcome.startedAt;
  const requests = outcome.latenciesMs.length;
  const webhooks = Object.values(outcome.failureWebhooks.statuses).reduce((sum, count) => sum + count, 0);
  return {
    clients,
    pool,
    seconds: span / 1000,
    requests,
    requestsPerSecond: perSecond(requests, span),
    outcomes: outcome.outcomes,
    blockedShare: ratio(outcome.outcomes.actor_blocked, requests),
    otherAnswers: outcome.otherAnswers,
    ...(outcome.firstOther ? { firstOther: outcome.firstOther } : {}),
    latencyMs: summarize(outcome.latenciesMs),
    failureWebhooks: {
      requests: webhooks,
      statuses: outcome.failureWebhooks.statuses,
      latencyMs: summarize(outcome.failureWebhooks.latenciesMs),
      ...(outcome.failureWebhooks.firstError ? { firstError: outcome.failureWebhooks.firstError } : {}),
    },
    allRequestsPerSecond: perSecond(requests + webhooks, span),
    devicesTaken: outcome.devicesTaken,
  };
}

/** The ratios of the phase: legitimate throughput under attack ÷ alone, and how the service's requests were shared. */
export function underAttackRatios(
  alone: Pick<LifecycleLoadFigures, 'linksPerSecond' | 'httpLinksPerSecond' | 'requestsPerSecond'>,
  underAttack: Pick<LifecycleLoadFigures, 'linksPerSecond' | 'httpLinksPerSecond' | 'requestsPerSecond'>,
  attackRequestsPerSecond: number | undefined,
): Pick<
  UnderAttackFigures,
  'linksPerSecondRatio' | 'httpLinksPerSecondRatio' | 'serviceRequestsPerSecondRatio' | 'attackShareOfRequests'
> {
  const legitimate = underAttack.requestsPerSecond;
  const all =
    legitimate === undefined || attackRequestsPerSecond === undefined
      ? undefined
      : legitimate + attackRequestsPerSecond;
  return {
    linksPerSecondRatio: ratio(underAttack.linksPerSecond, alone.linksPerSecond),
    httpLinksPerSecondRatio: ratio(underAttack.httpLinksPerSecond, alone.httpLinksPerSecond),
    serviceRequestsPerSecondRatio: ratio(all, alone.requestsPerSecond),
    attackShareOfRequests: ratio(attackRequestsPerSecond, all),
  };
}

/**
 * Legitimate links/s alone, then with the 2020 attack alongside, in the same service right after the
 * lifecycle phase: half the clients run the lifecycle load (as the lifecycle phase does, distinct customers,
 * devices that never fail) for the load's duration; then the same load again while the other half attack
 * (attack-requests.ts), starting `leadMs` before the measured window so that it is met at its steady state.
 */
export async function measureUnderAttack(
  service: RunningService,
  options: { clients: number; leadMs: number; durationMs: number; firstSequence: number },
): Promise<UnderAttackFigures> {
  const { legitimate, attackers } = splitClients(options.clients);
  const plan = {
    scenario: 'lifecycle' as const,
    origin: service.origin,
    clients: legitimate,
    token: service.appToken,
    bankSecret: service.bankSecret,
    durationMs: options.durationMs,
  };
  const calls = new StoreCallCounter(service.store);
  try {
    const alone = await runLoad({ ...plan, firstSequence: options.firstSequence });
    const aloneActivations = await waitForActivation(service, alone.links, 60_000);
    const aloneCalls = calls.take();

    const blocksBefore = await countEvents(service, 'ActorBlocked');
    const attacked = await runLoad({
      ...plan,
      firstSequence: alone.nextSequence,
      attack: { clients: attackers, pool: ATTACK_POOL, leadMs: options.leadMs, firstAttempt: 0 },
    });
    const attackedActivations = await waitForActivation(service, attacked.links, 60_000);
    const attackCalls = calls.take();
    if (!attacked.attack) throw new Error('the load worker ran no attack');

    const aloneFigures = lifecycleFigures(alone, aloneActivations);
    const attackedFigures = lifecycleFigures(attacked, attackedActivations);
    const attack = attackFigures(attacked.attack, attackers, ATTACK_POOL);
    return {
      legitimateClients: legitimate,
      attackerClients: attackers,
      attackLeadSeconds: options.leadMs / 1000,
      alone: aloneFigures,
      underAttack: attackedFigures,
      ...underAttackRatios(aloneFigures, attackedFigures, attack.allRequestsPerSecond),
      attack,
      storeCalls: { alone: aloneCalls, underAttack: attackCalls },
      actorBlocks: (await countEvents(service, 'ActorBlocked')) - blocksBefore,
      longestActorStreams: await longestActorStreams(service),
    };
  } finally {
    calls.stop();
  }
}

async function countEvents(service: RunningService, type: string): Promise<number> {
  const [row] = await service.sql.query<{ count: string }>(
    'SELECT count(*)::text AS count FROM es_events WHERE event_type = $1',
    [type],
  );
  return Number(row?.count ?? 0);
}

/** The longest actor streams at the end, by kind: what each decision on them reads and folds. */
async function longestActorStreams(service: RunningService): Promise<{ kind: string; events: number }[]> {
  const rows = await service.sql.query<{ stream_name: string; events: string }>(
    `SELECT stream_name, count(*)::text AS events FROM es_events WHERE stream_name LIKE 'actor-%'
      GROUP BY stream_name ORDER BY count(*) DESC LIMIT 5`,
  );
  return rows.map((row) => ({
    kind: row.stream_name.replace(/^actor-([a-z_]+)-.*$/, '$1'),
    events: Number(row.events),
  }));
}

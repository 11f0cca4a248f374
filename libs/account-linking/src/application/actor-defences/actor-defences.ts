import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { KeptStreams } from '@lib/event-store/command-handling/kept-streams';
import {
  type AppendResult,
  EVENT_STORE,
  type EventMetadata,
  type EventStore,
  type RecordedEvent,
} from '@lib/event-store/event-store.port';
import { type ActorIdentity, tightenedActorDefences } from '../../domain/actor/actor';
import { activeBlock, actorDefenceDecider, isBlockedFor, isRefused } from '../../domain/actor/actor-defence.decider';
import type { ActorDefenceCommand } from '../../domain/actor/actor-defence.commands';
import type { ActorDefenceState } from '../../domain/actor/actor-defence.state';
import type { ActorDefenceEvent } from '../../domain/actor/actor-defence.events';
import { actorOutcomeOfLinkEvent } from '../../domain/actor/actor-outcome-of-link-event';
import type { LinkEvent } from '../../domain/link/link-events';
import type { BankLinkPolicy } from '../../domain/link/bank-link-policy';
import type { LinkFacts } from '../../domain/link/link-state';
import { actorStream } from '../link-streams';
import { ACTOR_KEYS, type ActorKeys } from '../ports/actor-keys.port';
import { BANK_DIRECTORY, type BankDirectory } from '../ports/bank-directory.port';
import { LINKING_SETTINGS, type LinkingSettings } from '../ports/linking-settings.port';

/** What of a link names its actors. */
export type LinkActors = Pick<LinkFacts, 'paymentAppId' | 'deviceId' | 'customerReference' | 'endUserAddressKey'> & {
  /** The account's bank, whose policy may tighten the actors' settings. */
  bankAccount?: { bankCode: string };
};

/** The device (the app + its device id) behind a link. */
export const deviceOf = (link: LinkActors): ActorIdentity => ({
  kind: 'device',
  paymentAppId: link.paymentAppId,
  key: link.deviceId,
});

/** The app's customer (the app + its customer reference) behind a link. */
export const customerOf = (link: LinkActors): ActorIdentity => ({
  kind: 'customer',
  paymentAppId: link.paymentAppId,
  key: link.customerReference,
});

/** The device, the app's customer and (when reported) the end user's address behind a link (R8). */
export const actorsOf = (link: LinkActors): ActorIdentity[] => [
  deviceOf(link),
  customerOf(link),
  ...(link.endUserAddressKey
    ? [{ kind: 'ip_address' as const, paymentAppId: link.paymentAppId, key: link.endUserAddressKey }]
    : []),
];

/** The actor's stream: `actor-{kind}-{keyed hash of who it is}`. */
export const actorStreamOf = (keys: ActorKeys, actor: ActorIdentity): string =>
  actorStream(actor.kind, keys.streamKeyOf(actor));

/** The same block id for the same cause on the same stream, so that a replay blocks nothing twice. */
const blockIdFor = (stream: string, cause: string) =>
  `blk_${createHash('sha256').update(`${stream}\u0000${cause}`).digest('base64url').slice(0, 22)}`;

/** How many actor streams this process remembers as blocked (the ones it saw blocked last). */
const KNOWN_BLOCKS_MAX = 10_000;
/** How many actor streams' states this process keeps (the ones it decided on or read last). */
const KEPT_STREAMS_MAX = 10_000;

/** The attempt is known and no longer pending: ending it again does nothing, whatever came after. */
const isOver = (state: ActorDefenceState, linkId: string): boolean => {
  const attempt = state.attempts.find((candidate) => candidate.linkId === linkId);
  return attempt !== undefined && attempt.outcome !== 'pending';
};

/**
 * Each actor's defences on its own stream (`actor-{kind}-{hash}`), decided with the expected revision so that
 * concurrent requests from one actor are counted one after another.
 */
@Injectable()
export class ActorDefences {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(ACTOR_KEYS) private readonly keys: ActorKeys,
    @Inject(LINKING_SETTINGS) private readonly settings: LinkingSettings,
    @Inject(BANK_DIRECTORY) private readonly banks: BankDirectory,
  ) {
    this.streams = new KeptStreams(store, actorDefenceDecider, { maxStreams: KEPT_STREAMS_MAX, assumeNew: true });
  }

  /**
   * Actor streams this process saw blocked, with the block's end: a hint only, so that a blocked actor's next
   * requests are refused before any write (see `blockedNow`); the stream itself decides, every time.
   */
  private readonly knownBlocks = new Map<string, string>();

  /**
   * Each actor stream as this process last read or wrote it (see `KeptStreams`): a registration appends without a
   * read. A stream met here first is taken to be new (an actor's first attempt); one that exists costs a refused
   * append and a read. Only the end of an attempt that is over already needs nothing at all: an attempt never
   * becomes pending again.
   */
  private readonly streams: KeptStreams<ActorDefenceState, ActorDefenceCommand, ActorDefenceEvent>;

  streamOf(actor: ActorIdentity): string {
    return actorStreamOf(this.keys, actor);
  }

  /** Registers the request's attempt with each actor in turn; false (and no more registrations) at a refusal. */
  async register(
    link: LinkActors,
    linkId: string,
    accountToken: string,
    now: string,
    metadata: EventMetadata,
    /** The policy of the account's bank, when the caller has loaded it already (else it is looked up). */
    bankPolicy?: BankLinkPolicy,
  ): Promise<{ accepted: boolean; appends: AppendResult[] }> {
    const appends: AppendResult[] = [];
    const policy = bankPolicy ? bankPolicy.actorDefences : await this.bankPolicyOf(link);
    for (const actor of actorsOf(link)) {
      const stream = this.streamOf(actor);
      const { state, append } = await this.decide(
        stream,
        {
          type: 'RegisterActorAttempt',
          data: {
            actor,
            linkId,
            accountToken,
            blockId: blockIdFor(stream, linkId),
            ...this.limitsFor(actor, now, policy),
          },
        },
        metadata,
      );
      if (append) appends.push(append);
      if (isRefused(state, linkId, now)) return { accepted: false, appends };
    }
    return { accepted: true, appends };
  }

  /**
   * A bank reports a failed authentication: each actor counts it first, one after another on its stream, so
   * that concurrent failures never count past a threshold. False when an actor was blocked already: the
   * failure is not counted and the link is to be rejected (`actor_blocked`) instead.
   */
  async countFailure(link: LinkActors & { linkId: string }, now: string, metadata: EventMetadata): Promise<boolean> {
    const policy = await this.bankPolicyOf(link);
    for (const actor of actorsOf(link)) {
      const stream = this.streamOf(actor);
      const { state } = await this.decide(
        stream,
        {
          type: 'RecordActorAttemptFailed',
          data: {
            actor,
            linkId: link.linkId,
            blockId: blockIdFor(stream, link.linkId),
            ...this.limitsFor(actor, now, policy),
          },
        },
        metadata,
      );
      if (isBlockedFor(state, link.linkId, now)) return false;
    }
    return true;
  }

  /**
   * True when an actor of the request is blocked now, as far as this process knows: only the streams it saw
   * blocked are read (one read each), so that a blocked actor's requests cost no claim and no append, while
   * everyone else's cost nothing here. A false answer proves nothing: `register` decides.
   */
  async blockedNow(link: LinkActors, now: string): Promise<boolean> {
    for (const actor of actorsOf(link)) {
      const stream = this.streamOf(actor);
      const until = this.knownBlocks.get(stream);
      if (until === undefined) continue;
      if (Date.parse(until) <= Date.parse(now)) {
        this.knownBlocks.delete(stream);
        continue;
      }
      const { state } = await this.streams.read(stream);
      this.remember(stream, state, now);
      if (activeBlock(state, now)) return true;
    }
    return false;
  }

  /** True when one of these actors is blocked now, whatever the block's cause (read only: their streams in one read). */
  async anyActorBlocked(actors: readonly ActorIdentity[], now: string): Promise<boolean> {
    const streams = actors.map((actor) => this.streamOf(actor));
    const events = await this.store.readStreams(streams);
    return streams.some(
      (stream, index) => activeBlock(this.streams.fold(stream, events[index] ?? []).state, now) !== undefined,
    );
  }

  /** True when one of the link's actors is blocked now (read only: their streams in one read). */
  async anyBlocked(link: LinkActors & { linkId: string }, now: string): Promise<boolean> {
    const streams = this.streamsOfLink(link);
    return this.anyBlockedIn(link, await this.store.readStreams(streams), now);
  }

  /** The streams of the link's actors, in the order `anyBlockedIn` takes their events. */
  streamsOfLink(link: LinkActors): string[] {
    return actorsOf(link).map((actor) => this.streamOf(actor));
  }

  /** As `anyBlocked`, on the actors' streams (`streamsOfLink`) as the caller has just read them whole. */
  anyBlockedIn(link: LinkActors & { linkId: string }, events: readonly RecordedEvent[][], now: string): boolean {
    return this.streamsOfLink(link).some((stream, index) =>
      isBlockedFor(this.streams.fold(stream, events[index] ?? []).state, link.linkId, now),
    );
  }

  /**
   * A fraud rule blocks the device and the app customer of a link (not its address: many customers may share
   * one), for each kind's block length. The same trigger blocks nothing twice.
   */
  async blockForFraudRule(
    link: LinkActors,
    rule: string,
    trigger: { eventId: string; correlationId: string; at: string },
  ): Promise<void> {
    const metadata: EventMetadata = {
      actor: { type: 'system', id: `fraud-rule:${rule}` },
      correlationId: trigger.correlationId,
      causationId: trigger.eventId,
      occurredAt: trigger.at,
    };
    for (const actor of actorsOf(link).filter((candidate) => candidate.kind !== 'ip_address')) {
      const stream = this.streamOf(actor);
      await this.decide(
        stream,
        {
          type: 'BlockActor',
          data: {
            actor,
            blockId: blockIdFor(stream, trigger.eventId),
            now: trigger.at,
            blockMinutes: this.settings.actorDefences[actor.kind].blockMinutes,
            reason: `fraud_rule:${rule}`,
          },
        },
        metadata,
      );
    }
  }

  /** What the link's events mean for its actors' attempts: failed (counted), or over. Idempotent. */
  async applyLinkEvents(link: LinkActors & { linkId: string }, events: readonly LinkEvent[], metadata: EventMetadata) {
    for (const event of events) {
      const outcome = actorOutcomeOfLinkEvent(event);
      if (!outcome) continue;
      const policy = outcome === 'failed' ? await this.bankPolicyOf(link) : undefined;
      for (const actor of actorsOf(link)) {
        const stream = this.streamOf(actor);
        const command: ActorDefenceCommand =
          outcome === 'failed'
            ? {
                type: 'RecordActorAttemptFailed',
                data: {
                  actor,
                  linkId: link.linkId,
                  blockId: blockIdFor(stream, link.linkId),
                  ...this.limitsFor(actor, event.data.at, policy),
                },
              }
            : { type: 'EndActorAttempt', data: { linkId: link.linkId, now: event.data.at } };
        await this.decide(stream, command, metadata);
      }
    }
  }

  async decide(stream: string, command: ActorDefenceCommand, metadata: EventMetadata) {
    const kept = this.streams.peek(stream);
    if (command.type === 'EndActorAttempt' && kept && isOver(kept.state, command.data.linkId)) {
      return { state: kept.state, newEvents: [], append: undefined, revision: kept.revision };
    }
    // One actor's concurrent requests all append to its stream: each retry lets one more through.
    const decided = await this.streams.decide(stream, command, metadata, { maxAttempts: 50 });
    this.remember(stream, decided.state, command.data.now);
    return decided;
  }

  private remember(stream: string, state: ActorDefenceState, now: string) {
    const block = activeBlock(state, now);
    this.knownBlocks.delete(stream);
    if (!block) return;
    // Newest last: the oldest entry goes first when the map is full.
    this.knownBlocks.set(stream, block.until);
    if (this.knownBlocks.size > KNOWN_BLOCKS_MAX) {
      const oldest = this.knownBlocks.keys().next().value;
      if (oldest !== undefined) this.knownBlocks.delete(oldest);
    }
  }

  /** The deployment's settings for the actor's kind, tightened by the bank's policy (never loosened). */
  private limitsFor(actor: ActorIdentity, now: string, policy: BankActorPolicy) {
    return { now, settings: tightenedActorDefences(this.settings.actorDefences[actor.kind], policy?.[actor.kind]) };
  }

  private async bankPolicyOf(link: LinkActors): Promise<BankActorPolicy> {
    if (!link.bankAccount) return undefined;
    return (await this.banks.find(link.bankAccount.bankCode))?.policy.actorDefences;
  }
}

type BankActorPolicy = BankLinkPolicy['actorDefences'];

import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { aggregateStream, foldStream } from '@lib/event-store/command-handling/handle-command';
import { KeptStreams } from '@lib/event-store/command-handling/kept-streams';
import { EVENT_STORE, type EventMetadata, type EventStore } from '@lib/event-store/event-store.port';
import { WrongExpectedRevisionError } from '@lib/event-store/wrong-expected-revision.error';
import { KeyedHash } from '@lib/platform/crypto/keyed-hash';
import type { ActorIdentity } from '../../domain/actor/actor';
import { debitDecider } from '../../domain/debit/debit.decider';
import type { DebitEvent, DebitFacts, DebitRefusal } from '../../domain/debit/debit.events';
import type { DebitState, ExistingDebitState } from '../../domain/debit/debit.state';
import { DebitRefusedError, type SpendingCommand, spendingDecider } from '../../domain/debit/spending.decider';
import type { SpendingEvent } from '../../domain/debit/spending.events';
import type { SpendingState } from '../../domain/debit/spending.state';
import type { LinkFacts } from '../../domain/link/link-state';
import { linkDecider } from '../../domain/link/link.decider';
import { customerOf } from '../actor-defences/actor-defences';
import { ActorDefences } from '../actor-defences/actor-defences';
import { linkStream } from '../link-streams';
import { LinkingRefused } from '../linking-refused.error';
import { ACTOR_KEYS, type ActorKeys } from '../ports/actor-keys.port';
import { CLOCK, type Clock } from '../ports/clock.port';
import { WrittenCheckpoints } from '../queries/freshness/written-checkpoints';
import { debitRecordEventId, debitStream, spendingStream } from './debit-streams';
import { type DebitView, toDebitView } from './debit-view';

export interface AuthoriseDebitInput {
  paymentAppId: string;
  linkId: string;
  /** Integer yen, validated at the edge. */
  amount: number;
  currency: 'JPY';
  reference: string;
  deviceId: string;
  /** The end user's address as the app saw it: an actor (R8), kept only as a keyed hash. */
  ipAddress?: string;
  /** The request's `Idempotency-Key`: the same key names the same debit, so a retry is counted once. */
  idempotencyKey?: string;
}

/** The answer to the app: the debit as recorded, and why it was refused if it was. */
export interface DebitAuthorisationOutcome {
  debit: DebitView;
  refusal?: DebitRefusal;
}

/**
 * Concurrent debits of one link queue on its spending stream (one append each, with the expected revision):
 * twenty at once take up to twenty rounds, so the bound is generous; past it the app is told to retry.
 */
const MAX_SPENDING_ATTEMPTS = 40;
/** How many links' spending streams this process keeps (the ones it decided on last). */
const KEPT_SPENDING_STREAMS_MAX = 2_000;

/**
 * Authorises a debit (API.md "Debits", R8–R11): the link must be active and bound to the asking device, its
 * device and customer not blocked, the amount within every limit in force. The decision is the append to the
 * link's spending stream; the debit's own stream then records it (and a refusal, which touches no totals).
 * A crash between the two loses nothing: `DebitsProcessManager` writes the debit's stream from the spending
 * event, with the same event id.
 */
@Injectable()
export class DebitAuthorisation {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(ACTOR_KEYS) private readonly actorKeys: ActorKeys,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(KeyedHash) private readonly hash: KeyedHash,
    private readonly actors: ActorDefences,
    private readonly writes: WrittenCheckpoints,
  ) {
    this.spending = new KeptStreams(store, spendingDecider, { maxStreams: KEPT_SPENDING_STREAMS_MAX });
  }

  /**
   * Each link's spending stream as this process last read or wrote it (`KeptStreams`): a reservation is decided on
   * it and appended with its revision, so a stream another process moved (a release, another instance's debit)
   * costs the refused append and a fresh read; a refusal is decided again on a fresh read. The reservation read
   * no longer grows with the link's debits while the process keeps the stream.
   */
  private readonly spending: KeptStreams<SpendingState, SpendingCommand, SpendingEvent>;

  async authorise(input: AuthoriseDebitInput, metadata: EventMetadata): Promise<DebitAuthorisationOutcome> {
    const debitId = this.debitIdFor(input);
    // With an Idempotency-Key the debit may be recorded already (a retry): its stream is read with the link's, in
    // one read. Without one the id is new and random, so no stream of it can exist.
    const [linkEvents = [], debitEvents = []] =
      input.idempotencyKey === undefined
        ? [await this.store.readStream(linkStream(input.linkId))]
        : await this.store.readStreams([linkStream(input.linkId), debitStream(debitId)]);
    const { state: link } = foldStream(linkEvents, linkDecider);
    // Another app's link is as unknown to this app as a link that does not exist; nothing is recorded.
    if (link.status === 'none' || link.link.paymentAppId !== input.paymentAppId) {
      throw new LinkingRefused('link_not_found', `No link ${input.linkId}`);
    }
    const facts: DebitFacts = {
      debitId,
      linkId: input.linkId,
      paymentAppId: input.paymentAppId,
      bankCode: link.link.bankAccount.bankCode,
      amount: input.amount,
      currency: input.currency,
      reference: input.reference,
      deviceId: input.deviceId,
    };
    const { state: recorded } = foldStream(debitEvents, debitDecider);
    if (recorded.status !== 'none') return outcomeOf(recorded);

    const now = this.clock.now().toISOString();
    const actorBlocked =
      link.status === 'active' && (await this.actors.anyActorBlocked(this.actorsOf(link.link, input), now));
    const touched = { paymentAppId: input.paymentAppId, bankCode: facts.bankCode };
    try {
      const { state: spending, append } = await this.spending.decide(
        spendingStream(input.linkId),
        {
          type: 'ReserveDebitAmount',
          data: {
            now,
            debit: facts,
            link: { status: link.status, ...('usage' in link ? { usage: link.usage } : {}) },
            actorBlocked,
          },
        },
        metadata,
        { maxAttempts: MAX_SPENDING_ATTEMPTS },
      );
      if (append) this.writes.record(append.checkpoint, touched);
      const reservation = spending.reservations[facts.debitId];
      if (!reservation) throw new Error(`The reservation of ${facts.debitId} is missing after its append`);
      return outcomeOf(
        await this.record(
          { type: 'DebitAuthorised', data: { ...facts, at: reservation.at, expiresAt: reservation.expiresAt } },
          metadata,
          touched,
        ),
      );
    } catch (error) {
      if (!(error instanceof DebitRefusedError)) throw error;
      return outcomeOf(
        await this.record({ type: 'DebitRefused', data: { ...facts, ...error.refusal, at: now } }, metadata, touched),
      );
    }
  }

  /**
   * The debit's own stream starts with its authorisation or its refusal, once; a retry finds it there. Written
   * here, the debit is the event just appended (no read back); found written (by a concurrent retry, or by the
   * process manager after a crash), it is what the stream holds.
   */
  private async record(
    event: DebitEvent,
    metadata: EventMetadata,
    touched: { paymentAppId: string; bankCode: string },
  ): Promise<ExistingDebitState> {
    const { debitId } = event.data;
    let state: DebitState;
    try {
      const append = await this.store.appendToStream(
        debitStream(debitId),
        [{ id: debitRecordEventId(debitId), type: event.type, data: event.data, metadata }],
        'no_stream',
      );
      this.writes.record(append.checkpoint, touched);
      state = debitDecider.evolve(debitDecider.initialState(), event);
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      ({ state } = await aggregateStream(this.store, debitStream(debitId), debitDecider));
    }
    if (state.status === 'none') throw new Error(`Debit ${debitId} is missing after its append`);
    return state;
  }

  /** The asking device, the link's customer and the end user's address, when given (R8). */
  private actorsOf(link: LinkFacts, input: AuthoriseDebitInput): ActorIdentity[] {
    const addressKey = input.ipAddress ? this.actorKeys.addressKeyOf(input.ipAddress) : undefined;
    return [
      { kind: 'device', paymentAppId: link.paymentAppId, key: input.deviceId },
      customerOf(link),
      ...(addressKey ? [{ kind: 'ip_address' as const, paymentAppId: link.paymentAppId, key: addressKey }] : []),
    ];
  }

  /** Unguessable; with an `Idempotency-Key`, the same for the same app, link and key. */
  private debitIdFor(input: AuthoriseDebitInput): string {
    if (input.idempotencyKey === undefined) return `dbt_${randomBytes(16).toString('base64url')}`;
    const seed = `${input.paymentAppId}\u0000${input.linkId}\u0000${input.idempotencyKey}`;
    return `dbt_${this.hash.digest('debit_id', seed).slice(0, 22)}`;
  }
}

const outcomeOf = (state: ExistingDebitState): DebitAuthorisationOutcome => ({
  debit: toDebitView(state),
  ...(state.status === 'refused' ? { refusal: state.refusal } : {}),
});

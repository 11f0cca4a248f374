import { Inject, Injectable } from '@nestjs/common';
import type { ExistingLinkState } from '../../domain/link/link-state';
import { ACTOR_KEYS, type ActorKeys } from '../ports/actor-keys.port';
import { ACTOR_SIGNALS, type ActorSignal, type ActorSignals } from '../ports/actor-signals.port';
import { CLOCK, type Clock } from '../ports/clock.port';
import { actorStreamOf, customerOf, deviceOf } from './actor-defences';

/** The signals of a link's device and app customer, on its view (apps and banks add their own judgement). */
export interface LinkSignals {
  device: ActorSignal;
  customer: ActorSignal;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const NONE: ActorSignal = Object.freeze({ accountsTried24h: 0, accountsTried30d: 0, everBlocked: false });

/** Adds `signals` to link views, from the actors' read model; one query for a whole page. */
@Injectable()
export class LinkSignalsReader {
  constructor(
    @Inject(ACTOR_SIGNALS) private readonly signals: ActorSignals,
    @Inject(ACTOR_KEYS) private readonly keys: ActorKeys,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async withSignals<V extends object>(
    entries: readonly { state: ExistingLinkState; view: V }[],
  ): Promise<(V & { signals: LinkSignals })[]> {
    const withStreams = entries.map((entry) => ({ ...entry, streams: this.streamsOf(entry.state) }));
    const now = this.clock.now().getTime();
    const found = await this.signals.of(
      withStreams.flatMap(({ streams }) => [streams.device, streams.customer]),
      { since24h: new Date(now - DAY_MS), since30d: new Date(now - 30 * DAY_MS) },
    );
    return withStreams.map(({ view, streams }) => ({
      ...view,
      signals: { device: found.get(streams.device) ?? NONE, customer: found.get(streams.customer) ?? NONE },
    }));
  }

  async withSignalsOf<V extends object>(state: ExistingLinkState, view: V): Promise<V & { signals: LinkSignals }> {
    const [withSignals] = await this.withSignals([{ state, view }]);
    return withSignals ?? { ...view, signals: { device: NONE, customer: NONE } };
  }

  private streamsOf({ link }: ExistingLinkState) {
    return { device: actorStreamOf(this.keys, deviceOf(link)), customer: actorStreamOf(this.keys, customerOf(link)) };
  }
}

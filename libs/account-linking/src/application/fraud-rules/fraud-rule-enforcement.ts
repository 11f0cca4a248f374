import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '@lib/event-store/event-store.port';
import { DomainError } from '../../domain/domain-error';
import { type FraudRuleName, fraudRuleAction } from '../../domain/fraud-rules/fraud-rule';
import type { LinkEvent } from '../../domain/link/link-events';
import { isTerminal, type LinkState } from '../../domain/link/link-state';
import { linkDecider } from '../../domain/link/link.decider';
import { LinkCommandRunner } from '../link-command-runner';
import { linkStream } from '../link-streams';
import { CLOCK, type Clock } from '../ports/clock.port';
import { LINK_READ_MODEL, type LinkReadModel, type LinkSelection } from '../ports/link-read-model.port';

/** How long a rule waits for the links read model to reach its trigger before it tries the batch again. */
export const READ_MODEL_SETTLE_MS = 5_000;
const PAGE = 100;

/** The links read model has not yet seen everything up to the trigger: acting now could miss a link. */
export class LinksReadModelBehind extends Error {
  override readonly name = 'LinksReadModelBehind';
}

export type EnforcementOutcome = 'acted' | 'already_done' | 'not_concerned';

/**
 * What every fraud rule does, whichever rule it is: finds the links a trigger concerns and sends each the
 * rule's command, as a system decision naming the rule and caused by the trigger. Both halves hold when the
 * log is replayed (a rebuild, a crash before the checkpoint): see `linksConcerned` and `enforce`.
 */
@Injectable()
export class FraudRuleEnforcement {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LINK_READ_MODEL) private readonly links: LinkReadModel,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly runner: LinkCommandRunner,
  ) {}

  /**
   * Ids of the links matching any of the selections that were not over when the read model last saw them.
   * The read model is first settled to the trigger's checkpoint, so that every link requested before the
   * trigger is in it; if it cannot be (a lag, a rebuild under way) this throws, the batch's checkpoint does
   * not move, and the runner tries again: a link is never missed for a lagging read model.
   */
  async linksConcerned(trigger: RecordedEvent, selections: readonly LinkSelection[]): Promise<string[]> {
    const reached = await this.links.settle(trigger.checkpoint, READ_MODEL_SETTLE_MS);
    if (reached === undefined || reached < trigger.checkpoint) {
      throw new LinksReadModelBehind(`The links read model is behind ${trigger.type} ${trigger.id}`);
    }
    const ids = new Set<string>();
    for (const selection of selections) {
      let cursor: string | undefined;
      do {
        const page = await this.links.select(selection, { limit: PAGE, ...(cursor ? { cursor } : {}) });
        for (const link of page.items) if (!isTerminal(link.status)) ids.add(link.link.linkId);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
    }
    return [...ids];
  }

  /**
   * Sends the rule's command to one link, decided on the link's own events (the read model may be behind on
   * its status). Takes no second action for one trigger: a link that already holds an event caused by the
   * trigger is left alone (even if an operator has reinstated it since), and so is a link requested after the
   * trigger (a replay must not reach links made later; blocked actors keep new requests out meanwhile). A
   * refusal of the link's decider means its state moved on (it ended meanwhile): there is nothing left to do.
   */
  async enforce(rule: FraudRuleName, linkId: string, trigger: RecordedEvent): Promise<EnforcementOutcome> {
    const events = await this.store.readStream(linkStream(linkId));
    const first = events[0];
    if (first === undefined || first.checkpoint > trigger.checkpoint) return 'not_concerned';
    if (events.some((event) => event.metadata.causationId === trigger.id)) return 'already_done';
    const now = this.clock.now().toISOString();
    const action = fraudRuleAction(rule, foldLink(events), now);
    if (action === undefined) return 'already_done';
    try {
      const { newEvents } = await this.runner.run(linkId, (state) => fraudRuleAction(rule, state, now) ?? action, {
        actor: { type: 'system', id: `fraud-rule:${rule}` },
        correlationId: trigger.metadata.correlationId,
        causationId: trigger.id,
        occurredAt: now,
      });
      return newEvents.length > 0 ? 'acted' : 'already_done';
    } catch (error) {
      if (error instanceof DomainError) return 'already_done';
      throw error;
    }
  }
}

const foldLink = (events: readonly RecordedEvent[]): LinkState =>
  events.reduce<LinkState>(
    (state, event) => linkDecider.evolve(state, { type: event.type, data: event.data } as LinkEvent),
    linkDecider.initialState(),
  );

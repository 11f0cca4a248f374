import { Inject, Injectable, Optional } from '@nestjs/common';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '@lib/event-store/event-store.port';
import type { Projection } from '@lib/event-store/projections/projection';
import type { CaseEvent, CaseOpened } from '../../domain/case/case.events';
import type { FraudRuleName } from '../../domain/fraud-rules/fraud-rule';
import { CASE_STREAM_PREFIX } from '../cases/case-streams';
import {
  ACTOR_BLOCKS_NOT_WIRED,
  FRAUD_RULE_ACTOR_BLOCKS,
  type FraudRuleActorBlocks,
} from '../ports/fraud-rule-actor-blocks.port';
import { FraudRuleEnforcement } from './fraud-rule-enforcement';
import { linkFactsOf, triggerOf } from './fraud-rule-trigger';

const RULE: FraudRuleName = 'case_opened';

export const CASE_OPENED_TRIGGERS = ['CaseOpened'] as const satisfies readonly CaseEvent['type'][];

/**
 * Fraud rule `case_opened` (API.md "Complaint cases"): an `unauthorised_link` or `unauthorised_debit` case
 * suspends its link at once (`suspendedBy: system`, `reason: fraud_rule:case_opened`); an `unauthorised_link`
 * case also counts as a fraud report against the link's actors (its device and app customer are blocked, as
 * `customer_objected` blocks them). Durable: a process manager over the case events, not the request.
 */
@Injectable()
export class CaseOpenedFraudRule implements Projection {
  readonly name = 'process-manager:fraud-rule-case-opened';
  readonly filter = { streamPrefixes: [CASE_STREAM_PREFIX], eventTypes: CASE_OPENED_TRIGGERS };

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly enforcement: FraudRuleEnforcement,
    @Optional()
    @Inject(FRAUD_RULE_ACTOR_BLOCKS)
    private readonly actorBlocks: FraudRuleActorBlocks = ACTOR_BLOCKS_NOT_WIRED,
  ) {}

  async setUp(): Promise<void> {
    // Writes only to the event store.
  }

  /** Runs before the checkpoint moves: at least once; a second run finds the suspension caused by the trigger. */
  async react(events: readonly RecordedEvent[]): Promise<void> {
    for (const trigger of events) {
      const { category, linkId } = trigger.data as CaseOpened['data'];
      if (category === 'other') continue;
      if (category === 'unauthorised_link') {
        const link = await linkFactsOf(this.store, linkId);
        if (link) await this.actorBlocks.blockActorsOf(link, RULE, triggerOf(trigger));
      }
      await this.enforcement.enforce(RULE, linkId, trigger);
    }
  }

  async apply(): Promise<void> {
    // No read model: the effects are the link's and the actors' events (see `react`).
  }

  /** A rebuild replays every opening; `FraudRuleEnforcement.enforce` makes each a no-op the second time. */
  async reset(): Promise<void> {}
}

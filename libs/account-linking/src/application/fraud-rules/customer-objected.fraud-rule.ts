import { Inject, Injectable, Optional } from '@nestjs/common';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '@lib/event-store/event-store.port';
import type { Projection } from '@lib/event-store/projections/projection';
import type { FraudRuleName } from '../../domain/fraud-rules/fraud-rule';
import type { LinkEventType } from '../../domain/link/link-events';
import { LINK_STREAM_PREFIX } from '../link-streams';
import {
  ACTOR_BLOCKS_NOT_WIRED,
  FRAUD_RULE_ACTOR_BLOCKS,
  type FraudRuleActorBlocks,
} from '../ports/fraud-rule-actor-blocks.port';
import { FraudRuleEnforcement } from './fraud-rule-enforcement';
import { linkFactsOf, triggerOf } from './fraud-rule-trigger';

const RULE: FraudRuleName = 'customer_objected';

/** A customer objected to the link (`customer.objected`), or its bank reported fraud on it (`fraud.reported`). */
export const CUSTOMER_OBJECTED_TRIGGERS = [
  'CustomerObjected',
  'FraudReported',
] as const satisfies readonly LinkEventType[];

/**
 * Fraud rule `customer_objected` (API.md "Actor defences and fraud rules"): when a link is objected to or
 * reported as fraud, the other links of the same device (payment app + device id) and of the same app customer
 * (payment app + customer reference) are taken out of use, and both actors are blocked. Each link is decided
 * by `fraudRuleAction`: an active one is suspended, one not active yet is revoked. The link itself is among
 * them: an objection has revoked it already; a fraud report leaves its status alone, so the rule suspends it
 * too, since a link its bank calls fraudulent must not stay usable.
 */
@Injectable()
export class CustomerObjectedFraudRule implements Projection {
  readonly name = 'process-manager:fraud-rule-customer-objected';
  readonly filter = { streamPrefixes: [LINK_STREAM_PREFIX], eventTypes: CUSTOMER_OBJECTED_TRIGGERS };

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

  /** Runs before the checkpoint moves: at least once, and a second run takes no second action. */
  async react(events: readonly RecordedEvent[]): Promise<void> {
    for (const trigger of events) {
      const link = await linkFactsOf(this.store, (trigger.data as { linkId: string }).linkId);
      if (link === undefined) continue;
      // Blocked first, so that no new request slips in from these actors while their links are dealt with.
      await this.actorBlocks.blockActorsOf(link, RULE, triggerOf(trigger));
      const concerned = await this.enforcement.linksConcerned(trigger, [
        { paymentAppId: link.paymentAppId, deviceId: link.deviceId },
        { paymentAppId: link.paymentAppId, customerReference: link.customerReference },
      ]);
      for (const linkId of concerned) await this.enforcement.enforce(RULE, linkId, trigger);
    }
  }

  async apply(): Promise<void> {
    // No read model: the effects are the links' events (see `react`).
  }

  /** A rebuild replays every trigger; `FraudRuleEnforcement.enforce` makes each a no-op the second time. */
  async reset(): Promise<void> {}
}

import type { FraudRuleName } from '../../domain/fraud-rules/fraud-rule';
import type { LinkFacts } from '../../domain/link/link-state';

export const FRAUD_RULE_ACTOR_BLOCKS = Symbol('FRAUD_RULE_ACTOR_BLOCKS');

/** The event that set a fraud rule off: what the block records as its cause. */
export interface FraudRuleTrigger {
  eventId: string;
  eventType: string;
  correlationId: string;
  /** The service time of the trigger. */
  at: string;
}

/**
 * Where a fraud rule blocks the actors of a link (API.md: `customer_objected` blocks "both actors": the device,
 * paymentAppId + deviceId, and the app customer, paymentAppId + customerReference). Actor defences provide it
 * with their actor streams (`actor-{kind}-{hash}`); until they do, nothing is bound to this token and the rule
 * runs with `ACTOR_BLOCKS_NOT_WIRED`. Called again when the log is replayed: it must be idempotent per trigger.
 */
export interface FraudRuleActorBlocks {
  blockActorsOf(link: LinkFacts, rule: FraudRuleName, trigger: FraudRuleTrigger): Promise<void>;
}

/** The rule's links are suspended and revoked; its actors are blocked once actor defences bind the port. */
export const ACTOR_BLOCKS_NOT_WIRED: FraudRuleActorBlocks = { blockActorsOf: async () => {} };

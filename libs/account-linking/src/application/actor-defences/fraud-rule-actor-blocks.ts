import { Injectable } from '@nestjs/common';
import type { FraudRuleName } from '../../domain/fraud-rules/fraud-rule';
import type { LinkFacts } from '../../domain/link/link-state';
import type { FraudRuleActorBlocks, FraudRuleTrigger } from '../ports/fraud-rule-actor-blocks.port';
import { ActorDefences } from './actor-defences';

/** The fraud rules' actor blocks, on the actors' own streams (API.md: `customer_objected` blocks both actors). */
@Injectable()
export class ActorStreamFraudRuleBlocks implements FraudRuleActorBlocks {
  constructor(private readonly actors: ActorDefences) {}

  blockActorsOf(link: LinkFacts, rule: FraudRuleName, trigger: FraudRuleTrigger): Promise<void> {
    return this.actors.blockForFraudRule(link, rule, trigger);
  }
}

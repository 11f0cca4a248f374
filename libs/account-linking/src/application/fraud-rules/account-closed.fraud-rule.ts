import { Injectable } from '@nestjs/common';
import type { RecordedEvent } from '@lib/event-store/event-store.port';
import type { Projection } from '@lib/event-store/projections/projection';
import type { BankAccountGuardEvent } from '../../domain/bank-account-guard/bank-account-guard.events';
import type { FraudRuleName } from '../../domain/fraud-rules/fraud-rule';
import { accountTokenOfGuardStream, BANK_ACCOUNT_GUARD_STREAM_PREFIX } from '../link-streams';
import { FraudRuleEnforcement } from './fraud-rule-enforcement';

const RULE: FraudRuleName = 'account_closed';

export const ACCOUNT_CLOSED_TRIGGERS = [
  'BankAccountClosed',
] as const satisfies readonly BankAccountGuardEvent['type'][];

/**
 * Fraud rule `account_closed` (API.md "Actor defences and fraud rules"): the bank closed an account, so every
 * link on it that has not ended is revoked, whichever payment app holds it. The account is the guard stream's
 * token; its links are the read model's links with that token.
 */
@Injectable()
export class AccountClosedFraudRule implements Projection {
  readonly name = 'process-manager:fraud-rule-account-closed';
  readonly filter = { streamPrefixes: [BANK_ACCOUNT_GUARD_STREAM_PREFIX], eventTypes: ACCOUNT_CLOSED_TRIGGERS };

  constructor(private readonly enforcement: FraudRuleEnforcement) {}

  async setUp(): Promise<void> {
    // Writes only to the event store.
  }

  /** Runs before the checkpoint moves: at least once, and a second run takes no second action. */
  async react(events: readonly RecordedEvent[]): Promise<void> {
    for (const trigger of events) {
      const accountToken = accountTokenOfGuardStream(trigger.streamName);
      if (accountToken === undefined) continue;
      const concerned = await this.enforcement.linksConcerned(trigger, [{ accountToken }]);
      for (const linkId of concerned) await this.enforcement.enforce(RULE, linkId, trigger);
    }
  }

  async apply(): Promise<void> {
    // No read model: the effects are the links' events (see `react`).
  }

  /** A rebuild replays every closure; a revoked link takes no second revocation. */
  async reset(): Promise<void> {}
}

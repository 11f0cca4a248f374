import { AccountClosedFraudRule } from './account-closed.fraud-rule';
import { CaseOpenedFraudRule } from './case-opened.fraud-rule';
import { CustomerObjectedFraudRule } from './customer-objected.fraud-rule';
import { FraudRuleEnforcement } from './fraud-rule-enforcement';

const PROCESS_MANAGERS = [CustomerObjectedFraudRule, AccountClosedFraudRule, CaseOpenedFraudRule] as const;

/** The fraud rules for the worker: what it provides, and the process managers it runs among its projections. */
export const FRAUD_RULES = {
  providers: [FraudRuleEnforcement, ...PROCESS_MANAGERS],
  processManagers: PROCESS_MANAGERS,
} as const;

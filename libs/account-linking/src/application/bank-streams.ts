/**
 * Each bank's stream: registration, policy, kill switch and webhook keys, decided by the bank decider.
 * `bank-registry-`, not `bank-`: guard streams (`bank-account-`) and inboxes (`bank-inbox-`) start with `bank-`,
 * so a subscription filtered on this prefix sees banks' streams and nothing else.
 */
export const BANK_REGISTRY_STREAM_PREFIX = 'bank-registry-';

export const bankRegistryStream = (bankCode: string) => `${BANK_REGISTRY_STREAM_PREFIX}${bankCode}`;

/** Where the kill switch was recorded before banks had their own stream; kept as evidence, read by the import. */
export const legacyBankKillSwitchStream = (bankCode: string) => `bank-kill-switch-${bankCode}`;

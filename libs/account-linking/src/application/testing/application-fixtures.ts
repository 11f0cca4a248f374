import type { BankDirectory } from '../ports/bank-directory.port';
import { DEFAULT_ACTOR_DEFENCES } from '../../domain/actor/actor';
import { DEFAULT_KYC_MATCH_RULE } from '../../domain/kyc/kyc-match.policy';
import type { RequestLink } from '../../domain/link/link-commands';
import { DEFAULT_ACCOUNT_LOCKOUT } from '../../domain/policies/account-lockout.policy';
import type { EventStore } from '@lib/event-store/event-store.port';
import { ActorDefences } from '../actor-defences/actor-defences';
import { BankAccountGuardUpdates } from '../bank-account-guard/bank-account-guard-updates';
import { LinkCommandRunner } from '../link-command-runner';
import type { ActorKeys } from '../ports/actor-keys.port';
import type { LinkingSettings } from '../ports/linking-settings.port';
import { WrittenCheckpoints } from '../queries/freshness/written-checkpoints';

export const TEST_LINKING_SETTINGS: LinkingSettings = {
  allowedEkycMethods: [{ method: 'jpki' }],
  requestTtlMinutes: 30,
  staleClaimSeconds: 30,
  actorDefences: DEFAULT_ACTOR_DEFENCES,
  kycMatchRule: DEFAULT_KYC_MATCH_RULE,
  lockout: DEFAULT_ACCOUNT_LOCKOUT,
};

/** A `RequestLink` with sealed stand-ins for the personal data, requested at 10:00 UTC. */
export const aRequestLink = (linkId: string, paymentAppId = 'app'): RequestLink => ({
  type: 'RequestLink',
  data: {
    now: '2026-11-21T10:00:00.000Z',
    linkId,
    paymentAppId,
    customerReference: 'u1',
    bankAccount: { bankCode: '9900', branchCode: '001', type: 'ordinary', accountToken: 'bat_x', last4: '4567' },
    sealedAccountNumber: 'pd1.sealed',
    deviceId: 'd',
    ekyc: { method: 'jpki', verifiedAt: '2026-11-21T09:00:00.000Z', attributes: 'pd1.sealed' },
    allowedEkycMethods: [{ method: 'jpki' }],
    bankSuspended: false,
  },
});

/** The link command side outside Nest, as LINK_COMMAND_SIDE wires it. */
/** A directory without banks: the actor defences keep the deployment's settings. */
export const NO_BANKS: BankDirectory = { find: async () => undefined };

export const linkCommandRunnerFor = (
  store: EventStore,
  settings: LinkingSettings = TEST_LINKING_SETTINGS,
  writes = new WrittenCheckpoints(),
): LinkCommandRunner =>
  new LinkCommandRunner(
    store,
    new BankAccountGuardUpdates(store, settings),
    writes,
    new ActorDefences(store, TEST_ACTOR_KEYS, settings, NO_BANKS),
  );

/** Readable stand-ins for the keyed hashes (tests only: the service hashes under its pepper). */
export const TEST_ACTOR_KEYS: ActorKeys = {
  streamKeyOf: (actor) => `${actor.paymentAppId}.${actor.key}`,
  addressKeyOf: (ipAddress) => `iph_${ipAddress}`,
  userAgentHashOf: (userAgent) => `uah_${userAgent.length}`,
};

import { DebitRecords } from './debits/debit-records';
import { DebitReports } from './debits/debit-reports';
import { ActorDefences } from './actor-defences/actor-defences';
import { BankAccountGuardUpdates } from './bank-account-guard/bank-account-guard-updates';
import { LinkCommandRunner } from './link-command-runner';
import { WrittenCheckpoints } from './queries/freshness/written-checkpoints';

/**
 * The providers every link command needs: the runner, the fast paths of the account's guard and of the
 * actors' defences, and this process's writes. Needs ACTOR_KEYS.
 */
export const LINK_COMMAND_SIDE = [
  WrittenCheckpoints,
  BankAccountGuardUpdates,
  ActorDefences,
  LinkCommandRunner,
  DebitRecords,
  DebitReports,
];

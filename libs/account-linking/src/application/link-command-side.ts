import { BankAccountGuardUpdates } from './bank-account-guard/bank-account-guard-updates';
import { LinkCommandRunner } from './link-command-runner';
import { WrittenCheckpoints } from './queries/freshness/written-checkpoints';

/** The providers every link command needs: the runner, the guard's fast path, and this process's writes. */
export const LINK_COMMAND_SIDE = [WrittenCheckpoints, BankAccountGuardUpdates, LinkCommandRunner];

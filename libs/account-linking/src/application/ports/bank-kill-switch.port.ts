export const BANK_KILL_SWITCH = Symbol('BANK_KILL_SWITCH');

/** The per-bank kill switch (R7) as the bank directory keeps it: while on, no new link with the bank goes ahead. */
export interface BankKillSwitch {
  /** A reason turns it on; `undefined` turns it off. */
  setSuspended(bankCode: string, reason: string | undefined): Promise<void>;
}

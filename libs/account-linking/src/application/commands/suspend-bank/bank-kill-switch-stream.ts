/** Each bank's kill-switch history: who pulled it or lifted it, when and why (R7, R11). */
export const bankKillSwitchStream = (bankCode: string) => `bank-kill-switch-${bankCode}`;

export interface BankSuspensionView {
  bankCode: string;
  suspended: boolean;
  reason?: string;
  /** When the switch was pulled or lifted. */
  at: string;
}

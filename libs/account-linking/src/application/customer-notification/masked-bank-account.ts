import type { BankAccount } from '../../domain/bank-account';

const ACCOUNT_TYPE_NAMES: Record<BankAccount['type'], string> = {
  ordinary: '普通',
  current: '当座',
  savings: '貯蓄',
};

/** The account as a notification may show it: codes, type and the last four digits, never the whole number. */
export function maskedBankAccount(account: Pick<BankAccount, 'bankCode' | 'branchCode' | 'type' | 'last4'>): string {
  return `金融機関コード${account.bankCode} 支店コード${account.branchCode} ${ACCOUNT_TYPE_NAMES[account.type]} ****${account.last4}`;
}

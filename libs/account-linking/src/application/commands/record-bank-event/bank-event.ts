import type { BankAccountType } from '../../../domain/bank-account';
import type { KycAttributes } from '../../../domain/kyc/kyc-attributes';
import type { DebitLimitsChange } from '../../../domain/link/link-limits.messages';

/** A bank's webhook about one of its links, validated at the edge (API.md "Banks (webhooks in)"). */
export type BankLinkEvent =
  | {
      type: 'authentication.succeeded';
      data: {
        linkId: string;
        methods: string[];
        holder: KycAttributes;
        contact: { phone?: string; email?: string };
        authenticatedAt: string;
      };
    }
  | { type: 'authentication.failed'; data: { linkId: string; reason: string } }
  | { type: 'notification.delivered'; data: { linkId: string; channel: string; deliveredAt: string } }
  | { type: 'customer.confirmed'; data: { linkId: string; at: string } }
  | { type: 'customer.objected'; data: { linkId: string; at: string } }
  | { type: 'link.revoked'; data: { linkId: string; reason: string } }
  | { type: 'fraud.reported'; data: { linkId: string; reason: string } }
  | {
      type: 'device.reauthenticated';
      data: { linkId: string; deviceId: string; methods: string[]; authenticatedAt: string };
    }
  | { type: 'limits.confirmed'; data: { linkId: string } }
  | { type: 'limits.updated'; data: { linkId: string } & DebitLimitsChange };

/** A bank's webhook about one of its accounts, named as the bank knows it (the bank code is the sender's). */
export type BankAccountEvent = {
  type: 'account.closed';
  data: { bankAccount: { branchCode: string; type: BankAccountType; number: string } };
};

/** A bank's report of a debit the service authorised (API.md "Debits"). */
export type BankDebitEvent =
  | { type: 'debit.settled'; data: { debitId: string; settledAt: string } }
  | { type: 'debit.failed'; data: { debitId: string; reason: string } };

/** A bank's webhook, validated at the edge (API.md "Banks (webhooks in)"). */
export type BankEvent = BankLinkEvent | BankAccountEvent | BankDebitEvent;

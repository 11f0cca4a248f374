import { Command } from '@nestjs/cqrs';
import type { EventMetadata } from '@lib/event-store/event-store.port';
import type { BankAccountType } from '../../../domain/bank-account';
import type { KycAttributes } from '../../../domain/kyc/kyc-attributes';
import type { LinkView } from '../../link-view';

export interface RequestLinkInput {
  paymentAppId: string;
  customerReference: string;
  /** Absent when the app reports no eKYC of its own: the link is then rejected (R1), and that is recorded. */
  ekyc?: { method: string; verifiedAt: string; attributes: KycAttributes };
  bankAccount: { bankCode: string; branchCode: string; type: BankAccountType; number: string };
  deviceId: string;
  /** The end user's address and user agent as the app reported them: kept only as keyed hashes. */
  ipAddress?: string;
  userAgent?: string;
}

export class RequestLinkCommand extends Command<LinkView> {
  constructor(
    readonly input: RequestLinkInput,
    readonly metadata: EventMetadata,
  ) {
    super();
  }
}

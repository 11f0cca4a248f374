import { ChangeLinkLimitsHandler } from '@lib/account-linking/application/commands/change-link-limits/change-link-limits.handler';
import { GetLinkLimitsHandler } from '@lib/account-linking/application/queries/get-link-limits/get-link-limits.handler';
import { LinkLimitsHttpController } from './link-limits.http.controller';

/** The api role's part of limits (R10), listed in AccountLinkingModule; the bank's webhooks go through RecordBankEvent. */
export const LINK_LIMITS_API = {
  controllers: [LinkLimitsHttpController],
  providers: [ChangeLinkLimitsHandler, GetLinkLimitsHandler],
};

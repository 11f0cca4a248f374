import { Module } from '@nestjs/common';
import {
  BankAccountLinksHandler,
  BankLinkCountsHandler,
  ListBankLinksHandler,
} from '@lib/account-linking/application/queries/bank-links/bank-links.handlers';
import { PolicyReplayRequests } from '@lib/account-linking/application/policy-replay/policy-replay-requests';
import { InvestigationAudit } from '@lib/account-linking/application/queries/investigations/investigation-audit';
import { BankAccountHistoryHandler } from '@lib/account-linking/application/queries/investigations/bank-account-history.handler';
import { CustomerLinksHandler } from '@lib/account-linking/application/queries/investigations/customer-links.handler';
import { DeviceLinksHandler } from '@lib/account-linking/application/queries/investigations/device-links.handler';
import { LinkEventsForInvestigationHandler } from '@lib/account-linking/application/queries/investigations/link-events-for-investigation.handler';
import { LinkEvidenceHandler } from '@lib/account-linking/application/queries/investigations/link-evidence.handler';
import { LinkStateAsOfHandler } from '@lib/account-linking/application/queries/investigations/link-state-as-of.handler';
import { ListLinksHandler } from '@lib/account-linking/application/queries/list-links/list-links.handler';
import { ProjectionRebuilds } from '../admin/projections/projection-rebuilds';
import { ProjectionsHttpController } from '../admin/projections/projections.http.controller';
import { OwnBankGuard } from '../banks/bank-client';
import { BankLinksHttpController } from '../banks/bank-links.http.controller';
import { InvestigationCasesHttpController } from '../investigations/investigation-cases.http.controller';
import { InvestigationsHttpController } from '../investigations/investigations.http.controller';
import { LogDigestsHttpController } from '../investigations/log-digests.http.controller';

/**
 * The query side of the api role: the endpoints that read the read models (banks, investigators, operators;
 * the payment-app reads live with the links controller) and their handlers. The read models themselves and
 * the projection lag come from ReadModelsModule, which the worker role shares.
 */
@Module({
  controllers: [
    BankLinksHttpController,
    InvestigationsHttpController,
    InvestigationCasesHttpController,
    LogDigestsHttpController,
    ProjectionsHttpController,
  ],
  providers: [
    ListLinksHandler,
    ListBankLinksHandler,
    BankAccountLinksHandler,
    BankLinkCountsHandler,
    InvestigationAudit,
    LinkEventsForInvestigationHandler,
    LinkStateAsOfHandler,
    LinkEvidenceHandler,
    BankAccountHistoryHandler,
    DeviceLinksHandler,
    CustomerLinksHandler,
    PolicyReplayRequests,
    ProjectionRebuilds,
    OwnBankGuard,
  ],
})
export class QueriesModule {}

import { type DynamicModule, Global, Module } from '@nestjs/common';
import { ACCOUNT_HISTORY } from '@lib/account-linking/application/ports/account-history.port';
import { LINK_READ_MODEL } from '@lib/account-linking/application/ports/link-read-model.port';
import {
  BankAccountLinksHandler,
  BankLinkCountsHandler,
  ListBankLinksHandler,
} from '@lib/account-linking/application/queries/bank-links/bank-links.handlers';
import { InvestigationAudit } from '@lib/account-linking/application/queries/investigations/investigation-audit';
import { BankAccountHistoryHandler } from '@lib/account-linking/application/queries/investigations/bank-account-history.handler';
import { DeviceLinksHandler } from '@lib/account-linking/application/queries/investigations/device-links.handler';
import { LinkEventsForInvestigationHandler } from '@lib/account-linking/application/queries/investigations/link-events-for-investigation.handler';
import { LinkStateAsOfHandler } from '@lib/account-linking/application/queries/investigations/link-state-as-of.handler';
import { ListLinksHandler } from '@lib/account-linking/application/queries/list-links/list-links.handler';
import { accountLinkingReadModels } from '@lib/account-linking/infrastructure/read-models/read-model-projections';
import { SqlAccountHistory } from '@lib/account-linking/infrastructure/read-models/sql-account-history';
import { SqlLinkReadModel } from '@lib/account-linking/infrastructure/read-models/sql-link-read-model';
import { PROJECTION_LAG_SOURCE } from '@lib/event-store/projections/projection-lag-source';
import type { AppConfig } from '@lib/platform/config/app-config';
import { SQL_CLIENT, type SqlClient } from '@lib/platform/sql/sql-client';
import { ProjectionLagProbe } from '../admin/projections/projection-lag-probe';
import { ProjectionRebuilds } from '../admin/projections/projection-rebuilds';
import { ProjectionsHttpController } from '../admin/projections/projections.http.controller';
import { OwnBankGuard } from '../banks/bank-client';
import { BankLinksHttpController } from '../banks/bank-links.http.controller';
import { InvestigationsHttpController } from '../investigations/investigations.http.controller';

/** Resolves once the read-model tables exist, so an api process can answer before any worker ran. */
const READ_MODEL_TABLES = Symbol('READ_MODEL_TABLES');

/**
 * The query side: read models (PostgreSQL, fed by the projections the worker role runs) and the endpoints
 * that read them (banks, investigators, operators; the payment-app reads live with the links controller).
 * Global, so the links controller's query handlers find the read models. In the worker role only the read
 * models and the projection lag source are here.
 */
@Global()
@Module({})
export class QueriesModule {
  static forRoot(config: AppConfig): DynamicModule {
    const servesHttp = config.ROLE !== 'worker';
    return {
      module: QueriesModule,
      controllers: servesHttp ? [BankLinksHttpController, InvestigationsHttpController, ProjectionsHttpController] : [],
      providers: [
        {
          provide: READ_MODEL_TABLES,
          useFactory: async (sql: SqlClient) => {
            for (const projection of accountLinkingReadModels()) await projection.setUp(sql);
            return true;
          },
          inject: [SQL_CLIENT],
        },
        {
          provide: LINK_READ_MODEL,
          useFactory: (sql: SqlClient) => new SqlLinkReadModel(sql),
          inject: [SQL_CLIENT, READ_MODEL_TABLES],
        },
        {
          provide: ACCOUNT_HISTORY,
          useFactory: (sql: SqlClient) => new SqlAccountHistory(sql),
          inject: [SQL_CLIENT, READ_MODEL_TABLES],
        },
        ProjectionLagProbe,
        { provide: PROJECTION_LAG_SOURCE, useExisting: ProjectionLagProbe },
        ...(servesHttp
          ? [
              ListLinksHandler,
              ListBankLinksHandler,
              BankAccountLinksHandler,
              BankLinkCountsHandler,
              InvestigationAudit,
              LinkEventsForInvestigationHandler,
              LinkStateAsOfHandler,
              BankAccountHistoryHandler,
              DeviceLinksHandler,
              ProjectionRebuilds,
              OwnBankGuard,
            ]
          : []),
      ],
      exports: [LINK_READ_MODEL, ACCOUNT_HISTORY, PROJECTION_LAG_SOURCE],
    };
  }
}

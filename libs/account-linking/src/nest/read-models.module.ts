import { Global, Module } from '@nestjs/common';
import { LinkSignalsReader } from '@lib/account-linking/application/actor-defences/link-signals';
import { ACCOUNT_HISTORY } from '@lib/account-linking/application/ports/account-history.port';
import { ACTOR_BLOCKS } from '@lib/account-linking/application/ports/actor-blocks.port';
import { DEBIT_READ_MODEL } from '@lib/account-linking/application/ports/debit-read-model.port';
import { CASE_READ_MODEL } from '@lib/account-linking/application/ports/case-read-model.port';
import { SqlCaseReadModel } from '@lib/account-linking/infrastructure/read-models/sql-case-read-model';
import { ACTOR_SIGNALS } from '@lib/account-linking/application/ports/actor-signals.port';
import { LINK_READ_MODEL } from '@lib/account-linking/application/ports/link-read-model.port';
import { ProjectionLagProbe } from '@lib/account-linking/infrastructure/read-models/projection-lag-probe';
import { accountLinkingReadModels } from '@lib/account-linking/infrastructure/read-models/read-model-projections';
import { SqlActorBlocks } from '@lib/account-linking/infrastructure/read-models/sql-actor-blocks';
import { SqlActorSignals } from '@lib/account-linking/infrastructure/read-models/sql-actor-signals';
import { SqlAccountHistory } from '@lib/account-linking/infrastructure/read-models/sql-account-history';
import { SqlDebitReadModel } from '@lib/account-linking/infrastructure/read-models/sql-debit-read-model';
import { SqlLinkReadModel } from '@lib/account-linking/infrastructure/read-models/sql-link-read-model';
import { PROJECTION_LAG_SOURCE } from '@lib/event-store/projections/projection-lag-source';
import { ProjectionLagMetrics } from '@lib/event-store/projections/projection-lag-metrics';
import { SQL_CLIENT, type SqlClient } from '@lib/platform/sql/sql-client';

/** Resolves once the read-model tables exist, so an api process can answer before any worker ran. */
const READ_MODEL_TABLES = Symbol('READ_MODEL_TABLES');

/**
 * The read models (PostgreSQL, fed by the projections the worker role runs) and how far each projection is
 * behind the log, in the metrics (needs MetricsModule) and for the admin API. Both roles import it; global,
 * so the query handlers of the api role find the read models.
 */
@Global()
@Module({
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
    {
      provide: ACTOR_BLOCKS,
      useFactory: (sql: SqlClient) => new SqlActorBlocks(sql),
      inject: [SQL_CLIENT, READ_MODEL_TABLES],
    },
    {
      provide: ACTOR_SIGNALS,
      useFactory: (sql: SqlClient) => new SqlActorSignals(sql),
      inject: [SQL_CLIENT, READ_MODEL_TABLES],
    },
    {
      provide: DEBIT_READ_MODEL,
      useFactory: (sql: SqlClient) => new SqlDebitReadModel(sql),
      inject: [SQL_CLIENT, READ_MODEL_TABLES],
    },
    {
      provide: CASE_READ_MODEL,
      useFactory: (sql: SqlClient) => new SqlCaseReadModel(sql),
      inject: [SQL_CLIENT, READ_MODEL_TABLES],
    },
    LinkSignalsReader,
    ProjectionLagProbe,
    { provide: PROJECTION_LAG_SOURCE, useExisting: ProjectionLagProbe },
    ProjectionLagMetrics,
  ],
  exports: [
    LINK_READ_MODEL,
    ACCOUNT_HISTORY,
    ACTOR_BLOCKS,
    ACTOR_SIGNALS,
    DEBIT_READ_MODEL,
    CASE_READ_MODEL,
    LinkSignalsReader,
    ProjectionLagProbe,
    PROJECTION_LAG_SOURCE,
  ],
})
export class ReadModelsModule {}

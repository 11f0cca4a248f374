import { Controller, HttpCode, Inject, Post, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { EVENT_STORE, type EventStore } from '@lib/event-store/event-store.port';
import { chainLegacyStreams, type LegacyChainingProgress } from '@lib/event-store/postgres/chain-legacy-streams';
import { PostgresEventStore } from '@lib/event-store/postgres/postgres-event-store';
import { JwtAuthGuard } from '@lib/platform/auth/jwt-auth.guard';
import { Roles } from '@lib/platform/auth/roles.decorator';
import { RolesGuard } from '@lib/platform/auth/roles.guard';
import { Scopes } from '@lib/platform/auth/scopes.decorator';
import { ProblemException } from '@lib/platform/problem/problem.exception';
import { SQL_CLIENT, type SqlClient } from '@lib/platform/sql/sql-client';
import { ApiAccessToken, ApiProblems } from '../../openapi/api-docs.decorators';

/**
 * The one-off migration that chains history written before the hash chain (PostgreSQL stores). Resumable: run
 * it again after an interruption; a run that chained anything is recorded as `LegacyHistoryChained`.
 */
@ApiTags('admin')
@Controller('v1/admin/evidence')
@UseGuards(JwtAuthGuard, RolesGuard)
@Roles('operator')
@Scopes('admin')
export class HashChainMigrationHttpController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
  ) {}

  @Post('hash-chain-migration')
  @HttpCode(200)
  @ApiOperation({ summary: 'Chain the streams written before the hash chain (resumable; PostgreSQL stores)' })
  @ApiAccessToken('admin')
  @ApiOkResponse({ description: '`{ streamsChained, eventsChained }`' })
  @ApiProblems({ 409: 'The event store is not PostgreSQL (`hash_chain_migration_not_applicable`)' })
  async migrate(): Promise<LegacyChainingProgress> {
    if (!(this.store instanceof PostgresEventStore)) {
      throw new ProblemException({
        status: 409,
        code: 'hash_chain_migration_not_applicable',
        detail: 'Only a PostgreSQL event store can be chained in place; EventStoreDB events are immutable',
      });
    }
    return chainLegacyStreams(this.sql, this.store);
  }
}

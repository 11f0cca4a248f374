import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { EVENT_STORE, type EventStore } from '@lib/event-store/event-store.port';
import { SQL_CLIENT, type SqlClient } from '@lib/platform/sql/sql-client';

/** Health of a process of the service (api or worker alike): up, and ready once the stores it opened answer. */
@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  /** The process is up; says nothing about its dependencies. */
  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process is up' })
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  /** 200 once the service can serve: the database answers and the event log can be read. */
  @Get('ready')
  @ApiOperation({ summary: 'Readiness: 200 once the database and the event log answer, 503 otherwise' })
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.probe('database', () => this.sql.query('SELECT 1')),
      () => this.probe('eventStore', () => (this.store.ping ? this.store.ping() : this.store.readAll(undefined, 1))),
    ]);
  }

  private async probe(key: string, check: () => Promise<unknown>) {
    const indicator = this.indicators.check(key);
    try {
      await check();
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: error instanceof Error ? error.message : 'unavailable' });
    }
  }
}

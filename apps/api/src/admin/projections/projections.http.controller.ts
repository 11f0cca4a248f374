import { Controller, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { RebuildProgress } from '@lib/event-store/projections/blue-green-rebuild';
import type { ProjectionLag } from '@lib/event-store/projections/projection-lag';
import { JwtAuthGuard } from '@lib/platform/auth/jwt-auth.guard';
import { Roles } from '@lib/platform/auth/roles.decorator';
import { RolesGuard } from '@lib/platform/auth/roles.guard';
import { Scopes } from '@lib/platform/auth/scopes.decorator';
import { ProblemException } from '@lib/platform/problem/problem.exception';
import { ProjectionLagProbe } from '@lib/account-linking/infrastructure/read-models/projection-lag-probe';
import { ApiAccessToken, ApiProblems } from '../../openapi/api-docs.decorators';
import { ProjectionRebuilds } from './projection-rebuilds';

const rebuildNotFound = (what: string) =>
  new ProblemException({ status: 404, code: 'rebuild_not_found', detail: `No rebuild of ${what} yet` });

interface ProjectionStatus extends ProjectionLag {
  rebuildable: boolean;
  /** The last rebuild this process ran, if any. */
  rebuild?: RebuildProgress;
}

/** Operators: how far each projection is behind, and rebuilding a read model without stopping the service. */
@ApiTags('admin')
@Controller('v1/admin/projections')
@UseGuards(JwtAuthGuard, RolesGuard)
@Roles('operator')
@Scopes('admin')
export class ProjectionsHttpController {
  constructor(
    private readonly lag: ProjectionLagProbe,
    private readonly rebuilds: ProjectionRebuilds,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Every projection: its checkpoint and lag behind the head of the log' })
  @ApiAccessToken('admin')
  @ApiOkResponse({ description: '`{ projections: [{ projection, checkpoint, eventsBehind, ... }] }`' })
  async list(): Promise<{ projections: ProjectionStatus[] }> {
    const lags = await this.lag.projectionLag();
    const rebuildable = new Set(this.rebuilds.rebuildable);
    return {
      projections: lags.map((lag) => {
        const rebuild = rebuildable.has(lag.projection) ? this.rebuilds.progressOf(lag.projection) : undefined;
        return { ...lag, rebuildable: rebuildable.has(lag.projection), ...(rebuild ? { rebuild } : {}) };
      }),
    };
  }

  @Post('rebuild')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Rebuild every read model from zero in one pass over the log, then swap them in together (blue/green)',
    description:
      'The log is read once for all of them (each page applied to every read model in one transaction); answers ' +
      'at once, progress at GET of the same path (readModels: each one with the events it applied).',
  })
  @ApiAccessToken('admin')
  @ApiAcceptedResponse({ description: 'The rebuild started: its first progress report' })
  @ApiProblems({ 409: 'A read model is already rebuilding (`rebuild_in_progress`)' })
  rebuildAll(): RebuildProgress {
    return this.rebuilds.startAll();
  }

  @Get('rebuild')
  @ApiOperation({ summary: 'Progress of the last rebuild of every read model run by this process' })
  @ApiAccessToken('admin')
  @ApiOkResponse({ description: 'phase, eventsApplied, eventsPerSecond, etaSeconds, readModels…' })
  @ApiProblems({ 404: 'No rebuild of every read model yet (`rebuild_not_found`)' })
  rebuildAllProgress(): RebuildProgress {
    const progress = this.rebuilds.progressOfAll();
    if (!progress) throw rebuildNotFound('every read model');
    return progress;
  }

  @Post(':name/rebuild')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Rebuild a read model from zero beside the live one, then swap it in (blue/green)',
    description:
      'Answers at once; follow progress (events/s, ETA) at GET of the same path. Queries keep being served ' +
      'from the live tables until the swap, which is one short transaction.',
  })
  @ApiAccessToken('admin')
  @ApiAcceptedResponse({ description: 'The rebuild started: its first progress report' })
  @ApiProblems({
    404: 'No such read model (`projection_not_found`)',
    409: 'Already rebuilding (`rebuild_in_progress`)',
  })
  rebuild(@Param('name') name: string): RebuildProgress {
    return this.rebuilds.start(name);
  }

  @Get(':name/rebuild')
  @ApiOperation({ summary: 'Progress of the last rebuild of a read model run by this process' })
  @ApiAccessToken('admin')
  @ApiOkResponse({
    description: 'phase (copying, swapping, done, failed), eventsApplied, eventsPerSecond, etaSeconds…',
  })
  @ApiProblems({ 404: 'No such read model, or no rebuild of it yet' })
  rebuildProgress(@Param('name') name: string): RebuildProgress {
    const progress = this.rebuilds.progressOf(name);
    if (!progress) throw rebuildNotFound(name);
    return progress;
  }
}

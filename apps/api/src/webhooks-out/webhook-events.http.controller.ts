import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ListWebhookEventsQuery } from '@lib/account-linking/application/webhooks-out/queries/webhooks-out.queries';
import type { AuthPrincipal } from '@lib/platform/auth/auth-principal';
import { JwtAuthGuard } from '@lib/platform/auth/jwt-auth.guard';
import { Principal } from '@lib/platform/auth/principal.decorator';
import { Roles } from '@lib/platform/auth/roles.decorator';
import { RolesGuard } from '@lib/platform/auth/roles.guard';
import { ApiAccessToken, ApiProblems } from '../openapi/api-docs.decorators';
import { DEFAULT_PAGE_SIZE } from '../queries/page-query.dto';
import { ListEventsQueryDto } from './webhook-endpoint.request.dto';
import { WebhookEventPageResponseDto } from './webhook-endpoint.response.dto';
import { audienceOf, mappingWebhooksOutErrors } from './webhooks-out-problems';

/** The events webhooks carry, for polling and backfill: the caller's own only, in the log's order. */
@ApiTags('webhooks')
@Controller('v1/events')
@UseGuards(JwtAuthGuard, RolesGuard)
@Roles('payment_app', 'bank')
export class WebhookEventsHttpController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiOperation({
    summary: "The caller's events after a cursor, oldest first",
    description: 'The same events (same ids and bodies) as the webhooks deliver.',
  })
  @ApiAccessToken()
  @ApiOkResponse({ type: WebhookEventPageResponseDto })
  @ApiProblems({ 400: 'A bad query parameter or cursor (`validation_failed`)' })
  list(
    @Query() query: ListEventsQueryDto,
    @Principal() principal: AuthPrincipal,
  ): Promise<WebhookEventPageResponseDto> {
    return mappingWebhooksOutErrors(() =>
      this.queries.execute(
        new ListWebhookEventsQuery(
          audienceOf(principal),
          query.after,
          query.type ?? [],
          query.limit ?? DEFAULT_PAGE_SIZE,
        ),
      ),
    );
  }
}

import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
  Req,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import {
  DeleteWebhookEndpointCommand,
  RegisterWebhookEndpointCommand,
  ReplayWebhookEventsCommand,
  RotateWebhookEndpointSecretCommand,
} from '@lib/account-linking/application/webhooks-out/commands/webhook-endpoint.commands';
import {
  GetWebhookEndpointQuery,
  ListWebhookEndpointsQuery,
  WebhookDeliveryLogQuery,
} from '@lib/account-linking/application/webhooks-out/queries/webhooks-out.queries';
import { WEBHOOK_ENDPOINT_ID_PATTERN } from '@lib/account-linking/application/webhooks-out/webhook-endpoint-streams';
import type { WebhookEndpointRecord } from '@lib/account-linking/application/webhooks-out/webhook-outbox.port';
import { WebhooksOutRefused } from '@lib/account-linking/application/webhooks-out/webhooks-out-refused.error';
import type { AuthPrincipal } from '@lib/platform/auth/auth-principal';
import { JwtAuthGuard } from '@lib/platform/auth/jwt-auth.guard';
import { Principal } from '@lib/platform/auth/principal.decorator';
import { Roles } from '@lib/platform/auth/roles.decorator';
import { RolesGuard } from '@lib/platform/auth/roles.guard';
import { KeyedHash } from '@lib/platform/crypto/keyed-hash';
import { IdempotencyInterceptor } from '@lib/platform/idempotency/idempotency.interceptor';
import { fieldValidationProblem } from '@lib/platform/problem/validation-problem';
import { eventMetadataOf } from '../http/event-metadata';
import { JsonBodyGuard } from '../http/json-body';
import { ApiAccessToken, ApiIdempotencyKey, ApiProblems } from '../openapi/api-docs.decorators';
import { DEFAULT_PAGE_SIZE } from '../queries/page-query.dto';
import {
  DeliveryLogQueryDto,
  RegisterWebhookEndpointRequestDto,
  ReplayWebhookEventsRequestDto,
} from './webhook-endpoint.request.dto';
import {
  CreatedWebhookEndpointResponseDto,
  DeliveryPageResponseDto,
  ReplayResponseDto,
  SecretRotationResponseDto,
  WebhookEndpointListResponseDto,
  WebhookEndpointResponseDto,
} from './webhook-endpoint.response.dto';
import { audienceOf, mappingWebhooksOutErrors } from './webhooks-out-problems';

const viewOf = (record: WebhookEndpointRecord): WebhookEndpointResponseDto => ({
  id: record.endpointId,
  url: record.url,
  eventTypes: record.eventTypes,
  description: record.description,
  status: record.status,
  createdAt: record.createdAt,
  disabledAt: record.disabledAt,
});

/**
 * Where an app or a bank wants its events (API.md "Webhooks out"). Each client sees and changes only its own
 * endpoints: another's is 404, as an unknown one.
 */
@ApiTags('webhooks')
@Controller('v1/webhook-endpoints')
@UseGuards(JwtAuthGuard, RolesGuard)
@Roles('payment_app', 'bank')
export class WebhookEndpointsHttpController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    @Inject(KeyedHash) private readonly hash: KeyedHash,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Register a webhook endpoint',
    description: 'Events are POSTed to it signed per Standard Webhooks with the secret of this answer (shown once).',
  })
  @ApiAccessToken()
  @ApiIdempotencyKey()
  @ApiCreatedResponse({ type: CreatedWebhookEndpointResponseDto })
  @ApiProblems({
    400: 'The body does not have the expected shape (`validation_failed`)',
    415: 'Not an application/json body',
    422: 'Not https, or a private, loopback or link-local address (`webhook_url_not_allowed`)',
  })
  @HttpCode(201)
  @UseGuards(JsonBodyGuard)
  @UseInterceptors(IdempotencyInterceptor)
  register(
    @Body() body: RegisterWebhookEndpointRequestDto,
    @Principal() principal: AuthPrincipal,
    @Req() request: FastifyRequest,
  ): Promise<CreatedWebhookEndpointResponseDto> {
    return mappingWebhooksOutErrors(async () => {
      const owner = audienceOf(principal);
      const created = await this.commands.execute(
        new RegisterWebhookEndpointCommand(
          owner,
          body.url,
          body.eventTypes ?? [],
          body.description ?? null,
          this.metadataOf(request, principal),
        ),
      );
      return { ...viewOf(created), secret: created.secret };
    });
  }

  @Get()
  @ApiOperation({ summary: "The caller's webhook endpoints, oldest first" })
  @ApiAccessToken()
  @ApiOkResponse({ type: WebhookEndpointListResponseDto })
  list(@Principal() principal: AuthPrincipal): Promise<WebhookEndpointListResponseDto> {
    return mappingWebhooksOutErrors(async () => ({
      items: (await this.queries.execute(new ListWebhookEndpointsQuery(audienceOf(principal)))).map(viewOf),
    }));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One of the caller’s webhook endpoints (never its secret)' })
  @ApiAccessToken()
  @ApiOkResponse({ type: WebhookEndpointResponseDto })
  @ApiProblems({ 404: 'No such endpoint of this client (`webhook_endpoint_not_found`)' })
  get(@Param('id') id: string, @Principal() principal: AuthPrincipal): Promise<WebhookEndpointResponseDto> {
    return mappingWebhooksOutErrors(async () => {
      assertEndpointId(id);
      return viewOf(await this.queries.execute(new GetWebhookEndpointQuery(audienceOf(principal), id)));
    });
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Delete a webhook endpoint: nothing more is sent to it' })
  @ApiAccessToken()
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblems({ 404: 'No such endpoint of this client (`webhook_endpoint_not_found`)' })
  @HttpCode(204)
  delete(
    @Param('id') id: string,
    @Principal() principal: AuthPrincipal,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    return mappingWebhooksOutErrors(async () => {
      assertEndpointId(id);
      await this.commands.execute(
        new DeleteWebhookEndpointCommand(audienceOf(principal), id, this.metadataOf(request, principal)),
      );
    });
  }

  @Post(':id/secret-rotation')
  @ApiOperation({
    summary: "Rotate the endpoint's signing secret",
    description: 'For 24 h every delivery carries two signatures (space-separated): one with each secret.',
  })
  @ApiAccessToken()
  @ApiIdempotencyKey()
  @ApiOkResponse({ type: SecretRotationResponseDto })
  @ApiProblems({ 404: 'No such endpoint of this client (`webhook_endpoint_not_found`)' })
  @HttpCode(200)
  @UseInterceptors(IdempotencyInterceptor)
  rotateSecret(
    @Param('id') id: string,
    @Principal() principal: AuthPrincipal,
    @Req() request: FastifyRequest,
  ): Promise<SecretRotationResponseDto> {
    return mappingWebhooksOutErrors(async () => {
      assertEndpointId(id);
      return this.commands.execute(
        new RotateWebhookEndpointSecretCommand(audienceOf(principal), id, this.metadataOf(request, principal)),
      );
    });
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: "The endpoint's delivery attempts, newest first" })
  @ApiAccessToken()
  @ApiOkResponse({ type: DeliveryPageResponseDto })
  @ApiProblems({
    400: 'A bad query parameter or cursor (`validation_failed`)',
    404: 'No such endpoint of this client (`webhook_endpoint_not_found`)',
  })
  deliveries(
    @Param('id') id: string,
    @Query() query: DeliveryLogQueryDto,
    @Principal() principal: AuthPrincipal,
  ): Promise<DeliveryPageResponseDto> {
    return mappingWebhooksOutErrors(async () => {
      assertEndpointId(id);
      return this.queries.execute(
        new WebhookDeliveryLogQuery(audienceOf(principal), id, query.cursor, query.limit ?? DEFAULT_PAGE_SIZE),
      );
    });
  }

  @Post(':id/replays')
  @ApiOperation({
    summary: 'Send the endpoint its events of a window again',
    description: 'The same event ids (`webhook-id`) as the first time: receivers that de-duplicate see nothing new.',
  })
  @ApiAccessToken()
  @ApiIdempotencyKey()
  @ApiAcceptedResponse({ type: ReplayResponseDto })
  @ApiProblems({
    400: 'The body does not have the expected shape, or until is before since (`validation_failed`)',
    404: 'No such endpoint of this client (`webhook_endpoint_not_found`)',
    415: 'Not an application/json body',
  })
  @HttpCode(202)
  @UseGuards(JsonBodyGuard)
  @UseInterceptors(IdempotencyInterceptor)
  replay(
    @Param('id') id: string,
    @Body() body: ReplayWebhookEventsRequestDto,
    @Principal() principal: AuthPrincipal,
  ): Promise<ReplayResponseDto> {
    return mappingWebhooksOutErrors(async () => {
      assertEndpointId(id);
      const since = new Date(body.since);
      const until = body.until === undefined ? undefined : new Date(body.until);
      if (until && until < since) {
        throw fieldValidationProblem([{ field: 'until', message: 'until must not be before since' }]);
      }
      return this.commands.execute(new ReplayWebhookEventsCommand(audienceOf(principal), id, since, until));
    });
  }

  private metadataOf(request: FastifyRequest, principal: AuthPrincipal) {
    const owner = audienceOf(principal);
    return eventMetadataOf(request, { type: owner.kind, id: principal.clientId }, (ip) =>
      this.hash.sourceAddressHash(ip),
    );
  }
}

/** A malformed id cannot name an endpoint: the same 404 as an unknown one. */
function assertEndpointId(id: string): void {
  if (!WEBHOOK_ENDPOINT_ID_PATTERN.test(id)) {
    throw new WebhooksOutRefused('webhook_endpoint_not_found', 'No such webhook endpoint');
  }
}

import { randomBytes } from 'node:crypto';
import { Body, Controller, Delete, Header, HttpCode, Inject, Param, Post, Req, UseGuards } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CLOCK, type Clock } from '@lib/account-linking/application/ports/clock.port';
import { BANK_DIRECTORY, type BankDirectory } from '@lib/account-linking/application/ports/bank-directory.port';
import type { AuthPrincipal } from '@lib/platform/auth/auth-principal';
import {
  CLIENT_REGISTRY,
  ClientAlreadyRegisteredError,
  type ClientRegistry,
  InvalidClientRegistrationError,
} from '@lib/platform/auth/client-registry';
import { CLIENT_ID_PATTERN, DEFAULT_SCOPES_BY_ROLE } from '@lib/platform/auth/client-role';
import { JwtAuthGuard } from '@lib/platform/auth/jwt-auth.guard';
import { Principal } from '@lib/platform/auth/principal.decorator';
import { Roles } from '@lib/platform/auth/roles.decorator';
import { RolesGuard } from '@lib/platform/auth/roles.guard';
import { Scopes } from '@lib/platform/auth/scopes.decorator';
import { ProblemException } from '@lib/platform/problem/problem.exception';
import { fieldValidationProblem } from '@lib/platform/problem/validation-problem';
import { bankCodeOfClient } from '../../banks/bank-client';
import { JsonBodyGuard } from '../../http/json-body';
import { ApiAccessToken, ApiProblems } from '../../openapi/api-docs.decorators';
import { AdminAudit } from '../admin-audit';
import { ClientResponseDto, clientResponseOf } from './client.response.dto';
import { RegisterClientRequestDto } from './register-client.request.dto';

const clientExists = (clientId: string) =>
  new ProblemException({
    status: 409,
    code: 'client_exists',
    detail: `A client with id ${clientId} is already registered`,
  });

const clientNotFound = (clientId: string) =>
  new ProblemException({ status: 404, code: 'client_not_found', detail: `No client with id ${clientId}` });

/** Operators: registering the service's API clients (payment apps, investigators, operators, banks) and disabling them. */
@ApiTags('admin')
@Controller('v1/admin/clients')
@UseGuards(JwtAuthGuard, RolesGuard)
@Roles('operator')
@Scopes('admin')
export class ClientsHttpController {
  constructor(
    @Inject(CLIENT_REGISTRY) private readonly clients: ClientRegistry,
    @Inject(BANK_DIRECTORY) private readonly banks: BankDirectory,
    private readonly audit: AdminAudit,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @HttpCode(201)
  @UseGuards(JsonBodyGuard)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Register an API client',
    description:
      'Without a `secret` the service generates one and returns it in this answer only; it keeps a hash. ' +
      'A `bank` client must be named `bank-<bank code>` of a registered bank: that binds it to the bank.',
  })
  @ApiAccessToken('admin')
  @ApiCreatedResponse({ type: ClientResponseDto, description: 'The client, with `secret` when it was generated' })
  @ApiProblems({
    400: 'A malformed field, or a bank client not named `bank-<bank code>` (`validation_failed`)',
    409: 'The client id is taken (`client_exists`)',
    422: 'A bank client of a bank that is not registered (`unknown_bank`)',
  })
  async register(
    @Body() body: RegisterClientRequestDto,
    @Principal() operator: AuthPrincipal,
    @Req() request: FastifyRequest,
  ): Promise<ClientResponseDto> {
    const bankCode = bankCodeOfClient(body.clientId);
    if ((body.role === 'bank') !== (bankCode !== undefined)) {
      throw fieldValidationProblem([
        { field: 'clientId', message: 'a bank client, and only a bank client, is named bank-<4-digit bank code>' },
      ]);
    }
    if (bankCode !== undefined && !(await this.banks.find(bankCode))) {
      throw new ProblemException({
        status: 422,
        code: 'unknown_bank',
        detail: `No bank with code ${bankCode} is registered; register the bank first`,
      });
    }
    if (await this.clients.find(body.clientId)) throw clientExists(body.clientId);

    const secret = body.secret ?? randomBytes(32).toString('base64url');
    await this.audit.record(
      {
        type: 'ClientRegistered',
        data: {
          clientId: body.clientId,
          role: body.role,
          scopes: DEFAULT_SCOPES_BY_ROLE[body.role],
          displayName: body.displayName,
          secretGenerated: body.secret === undefined,
        },
      },
      this.audit.metadataOf(request, operator),
    );
    try {
      const client = await this.clients.register({
        clientId: body.clientId,
        role: body.role,
        displayName: body.displayName,
        secret,
      });
      return clientResponseOf(client, body.secret === undefined ? secret : undefined);
    } catch (error) {
      if (error instanceof ClientAlreadyRegisteredError) throw clientExists(body.clientId);
      if (error instanceof InvalidClientRegistrationError) {
        throw new ProblemException({ status: 400, code: 'validation_failed', detail: error.message });
      }
      throw error;
    }
  }

  @Delete(':clientId')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Disable an API client',
    description:
      'No new access token is issued to it; tokens already issued lapse within their lifetime (minutes). ' +
      'Disabling a disabled client changes nothing. An operator cannot disable the client it calls with.',
  })
  @ApiParam({ name: 'clientId', example: 'wallet-pay' })
  @ApiAccessToken('admin')
  @ApiOkResponse({ type: ClientResponseDto, description: 'The client, with `disabledAt`' })
  @ApiProblems({
    404: 'No such client (`client_not_found`)',
    409: 'The caller would disable its own client (`cannot_disable_own_client`)',
  })
  async disable(
    @Param('clientId') clientId: string,
    @Principal() operator: AuthPrincipal,
    @Req() request: FastifyRequest,
  ): Promise<ClientResponseDto> {
    const client = CLIENT_ID_PATTERN.test(clientId) ? await this.clients.find(clientId) : undefined;
    if (!client) throw clientNotFound(clientId);
    if (client.disabledAt !== null) return clientResponseOf(client);
    if (clientId === operator.clientId) {
      throw new ProblemException({
        status: 409,
        code: 'cannot_disable_own_client',
        detail: 'An operator cannot disable the client it is calling with; use another operator client',
      });
    }
    const at = this.clock.now();
    await this.audit.record(
      { type: 'ClientDisabled', data: { clientId, role: client.role, at: at.toISOString() } },
      this.audit.metadataOf(request, operator),
    );
    await this.clients.disable(clientId, at);
    const disabled = await this.clients.find(clientId);
    if (!disabled) throw clientNotFound(clientId);
    return clientResponseOf(disabled);
  }
}

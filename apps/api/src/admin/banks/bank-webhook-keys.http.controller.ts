import { Body, Controller, Header, HttpCode, Inject, Param, Patch, Post, Req, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AddBankWebhookKeyCommand } from '@lib/account-linking/application/commands/add-bank-webhook-key/add-bank-webhook-key.command';
import { EndBankWebhookKeyValidityCommand } from '@lib/account-linking/application/commands/end-bank-webhook-key-validity/end-bank-webhook-key-validity.command';
import { CLOCK, type Clock } from '@lib/account-linking/application/ports/clock.port';
import type { AuthPrincipal } from '@lib/platform/auth/auth-principal';
import { JwtAuthGuard } from '@lib/platform/auth/jwt-auth.guard';
import { Principal } from '@lib/platform/auth/principal.decorator';
import { Roles } from '@lib/platform/auth/roles.decorator';
import { RolesGuard } from '@lib/platform/auth/roles.guard';
import { Scopes } from '@lib/platform/auth/scopes.decorator';
import { KeyedHash } from '@lib/platform/crypto/keyed-hash';
import type { ProblemFieldError } from '@lib/platform/problem/problem';
import { fieldValidationProblem } from '@lib/platform/problem/validation-problem';
import { ed25519PublicKeyFrom, hmacKeyFromSecret } from '@lib/platform/webhooks/webhook-key-material';
import { JsonBodyGuard } from '../../http/json-body';
import { ApiAccessToken, ApiProblems } from '../../openapi/api-docs.decorators';
import { bankCodeParam } from './bank-code.param';
import { mappingBankProblems } from './bank-problems';
import { WebhookKeyResponseDto, webhookKeyResponseOf } from './bank-registration.response.dto';
import { operatorEventMetadata } from './operator-event-metadata';
import { AddWebhookKeyRequestDto, WebhookKeyValidityRequestDto } from './webhook-key.request.dto';

/** The key material of a request, checked as the verifier will read it; the errors never echo it. */
function keyMaterialErrors(body: AddWebhookKeyRequestDto): ProblemFieldError[] {
  const errors: ProblemFieldError[] = [];
  if (body.kind === 'hmac') {
    if (body.publicKey !== undefined)
      errors.push({ field: 'publicKey', message: 'publicKey is for ed25519 keys only' });
    if (body.secret !== undefined) {
      try {
        hmacKeyFromSecret(body.secret);
      } catch {
        errors.push({ field: 'secret', message: 'secret must be whsec_ followed by base64 of at least 16 bytes' });
      }
    }
  } else {
    if (body.secret !== undefined) {
      errors.push({ field: 'secret', message: 'an ed25519 key takes the bank’s publicKey, never a secret' });
    }
    if (body.publicKey === undefined) {
      errors.push({ field: 'publicKey', message: 'publicKey is required for an ed25519 key' });
    } else {
      try {
        ed25519PublicKeyFrom(body.publicKey);
      } catch {
        errors.push({
          field: 'publicKey',
          message: 'publicKey must be an Ed25519 public key: PEM, whpk_<base64> or base64 of the raw 32 bytes',
        });
      }
    }
  }
  if (body.notBefore && body.notAfter && Date.parse(body.notAfter) <= Date.parse(body.notBefore)) {
    errors.push({ field: 'notAfter', message: 'notAfter must be later than notBefore' });
  }
  return errors;
}

/**
 * Operators: a bank's webhook keys. A rotation adds the new key (both verify meanwhile), then sets the end
 * of the old one's validity. HMAC secrets are sealed at rest and shown only in the answer that generated them.
 */
@ApiTags('admin')
@Controller('v1/admin/banks/:bankCode/webhook-keys')
@UseGuards(JwtAuthGuard, RolesGuard)
@Roles('operator')
@Scopes('admin')
export class BankWebhookKeysHttpController {
  constructor(
    private readonly commands: CommandBus,
    private readonly hash: KeyedHash,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @HttpCode(201)
  @UseGuards(JsonBodyGuard)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Add a webhook key to a bank',
    description:
      'hmac: give the shared `whsec_…` secret, or none and the service generates one and returns it in this ' +
      'answer only. ed25519: give the bank’s public key; the service never holds its private key.',
  })
  @ApiParam({ name: 'bankCode', description: '4-digit bank code', example: '0005' })
  @ApiAccessToken('admin')
  @ApiCreatedResponse({ type: WebhookKeyResponseDto, description: 'The key, with `secret` when it was generated' })
  @ApiProblems({
    400: 'A malformed field or key material, or a field of the other kind (`validation_failed`)',
    404: 'No such bank (`unknown_bank`)',
    409: 'The bank already has a key with this id (`webhook_key_exists`)',
  })
  async add(
    @Param('bankCode') bankCode: string,
    @Body() body: AddWebhookKeyRequestDto,
    @Principal() operator: AuthPrincipal,
    @Req() request: FastifyRequest,
  ): Promise<WebhookKeyResponseDto> {
    const code = bankCodeParam(bankCode);
    const errors = keyMaterialErrors(body);
    if (errors.length > 0) throw fieldValidationProblem(errors);
    const now = this.clock.now();
    const material = body.kind === 'hmac' ? body.secret : body.publicKey;
    const added = await mappingBankProblems(() =>
      this.commands.execute(
        new AddBankWebhookKeyCommand(
          code,
          {
            keyId: body.keyId,
            kind: body.kind,
            ...(material === undefined ? {} : { material }),
            ...(body.notBefore ? { notBefore: body.notBefore } : {}),
            ...(body.notAfter ? { notAfter: body.notAfter } : {}),
          },
          operatorEventMetadata(request, operator, this.hash, now),
        ),
      ),
    );
    const view = webhookKeyResponseOf(code, added.key, now);
    return added.secret === undefined ? view : { ...view, secret: added.secret };
  }

  @Patch(':keyId')
  @HttpCode(200)
  @UseGuards(JsonBodyGuard)
  @ApiOperation({
    summary: "Set the end of a webhook key's validity",
    description: 'The second half of a rotation: once the bank signs with its new key, end the old one.',
  })
  @ApiParam({ name: 'bankCode', description: '4-digit bank code', example: '0005' })
  @ApiParam({ name: 'keyId', example: 'hmac-2026-05' })
  @ApiAccessToken('admin')
  @ApiOkResponse({ type: WebhookKeyResponseDto })
  @ApiProblems({
    400: 'A malformed time, or one not after the key’s notBefore (`validation_failed`)',
    404: 'No such bank (`unknown_bank`) or key (`webhook_key_not_found`)',
  })
  async setValidity(
    @Param('bankCode') bankCode: string,
    @Param('keyId') keyId: string,
    @Body() body: WebhookKeyValidityRequestDto,
    @Principal() operator: AuthPrincipal,
    @Req() request: FastifyRequest,
  ): Promise<WebhookKeyResponseDto> {
    const code = bankCodeParam(bankCode);
    const now = this.clock.now();
    const key = await mappingBankProblems(() =>
      this.commands.execute(
        new EndBankWebhookKeyValidityCommand(
          code,
          keyId,
          body.notAfter,
          operatorEventMetadata(request, operator, this.hash, now),
        ),
      ),
    );
    return webhookKeyResponseOf(code, key, now);
  }
}

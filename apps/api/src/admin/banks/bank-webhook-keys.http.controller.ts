import { Body, Controller, Header, HttpCode, Inject, Param, Patch, Post, Req, UseGuards } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { SqlBankRegistry } from '@lib/account-linking/infrastructure/banks/sql-bank-registry';
import type { AuthPrincipal } from '@lib/platform/auth/auth-principal';
import { JwtAuthGuard } from '@lib/platform/auth/jwt-auth.guard';
import { Principal } from '@lib/platform/auth/principal.decorator';
import { Roles } from '@lib/platform/auth/roles.decorator';
import { RolesGuard } from '@lib/platform/auth/roles.guard';
import { Scopes } from '@lib/platform/auth/scopes.decorator';
import type { ProblemFieldError } from '@lib/platform/problem/problem';
import { ProblemException } from '@lib/platform/problem/problem.exception';
import { fieldValidationProblem } from '@lib/platform/problem/validation-problem';
import { ed25519PublicKeyFrom, hmacKeyFromSecret } from '@lib/platform/webhooks/webhook-key-material';
import { generateWebhookSecret } from '@lib/platform/webhooks/webhook-key-generation';
import { JsonBodyGuard } from '../../http/json-body';
import { ApiAccessToken, ApiProblems } from '../../openapi/api-docs.decorators';
import { AdminAudit } from '../admin-audit';
import { bankCodeParam } from './bank-code.param';
import { unknownBank } from './bank-registration.http.controller';
import { WebhookKeyResponseDto, webhookKeyResponseOf } from './bank-registration.response.dto';
import { AddWebhookKeyRequestDto, WEBHOOK_KEY_ID, WebhookKeyValidityRequestDto } from './webhook-key.request.dto';

const webhookKeyNotFound = (bankCode: string, keyId: string) =>
  new ProblemException({
    status: 404,
    code: 'webhook_key_not_found',
    detail: `Bank ${bankCode} has no webhook key ${keyId}`,
  });

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
    @Inject(SqlBankRegistry) private readonly banks: SqlBankRegistry,
    private readonly audit: AdminAudit,
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
    if (!(await this.banks.find(code))) throw unknownBank(code);
    if ((await this.banks.webhookKeyValidity(code)).some((key) => key.keyId === body.keyId)) {
      throw this.keyExists(code, body.keyId);
    }

    const generated = body.kind === 'hmac' && body.secret === undefined ? generateWebhookSecret() : undefined;
    const material = body.kind === 'hmac' ? (body.secret ?? generated) : body.publicKey;
    if (material === undefined) throw new Error('webhook key material missing after validation');
    const notBefore = body.notBefore ? new Date(body.notBefore) : undefined;
    const notAfter = body.notAfter ? new Date(body.notAfter) : undefined;
    await this.audit.record(
      {
        type: 'BankWebhookKeyAdded',
        data: {
          bankCode: code,
          keyId: body.keyId,
          kind: body.kind,
          notBefore: notBefore?.toISOString() ?? null,
          notAfter: notAfter?.toISOString() ?? null,
          secretGenerated: generated !== undefined,
        },
      },
      this.audit.metadataOf(request, operator),
    );
    const added = await this.banks.addWebhookKey(code, {
      keyId: body.keyId,
      kind: body.kind,
      material,
      ...(notBefore ? { notBefore } : {}),
      ...(notAfter ? { notAfter } : {}),
    });
    if (!added) throw this.keyExists(code, body.keyId);
    const view = await this.keyView(code, body.keyId);
    return generated === undefined ? view : { ...view, secret: generated };
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
    if (!(await this.banks.find(code))) throw unknownBank(code);
    const key = WEBHOOK_KEY_ID.test(keyId)
      ? (await this.banks.webhookKeyValidity(code)).find((candidate) => candidate.keyId === keyId)
      : undefined;
    if (!key) throw webhookKeyNotFound(code, keyId);
    const notAfter = new Date(body.notAfter);
    if (key.notBefore && notAfter.getTime() <= key.notBefore.getTime()) {
      throw fieldValidationProblem([{ field: 'notAfter', message: 'notAfter must be later than the key’s notBefore' }]);
    }
    await this.audit.record(
      {
        type: 'BankWebhookKeyValidityChanged',
        data: {
          bankCode: code,
          keyId,
          notAfter: notAfter.toISOString(),
          previousNotAfter: key.notAfter?.toISOString() ?? null,
        },
      },
      this.audit.metadataOf(request, operator),
    );
    if (!(await this.banks.setWebhookKeyNotAfter(code, keyId, notAfter))) throw webhookKeyNotFound(code, keyId);
    return this.keyView(code, keyId);
  }

  private keyExists(bankCode: string, keyId: string): ProblemException {
    return new ProblemException({
      status: 409,
      code: 'webhook_key_exists',
      detail: `Bank ${bankCode} already has a webhook key ${keyId}; choose another id to rotate`,
    });
  }

  private async keyView(bankCode: string, keyId: string): Promise<WebhookKeyResponseDto> {
    const key = (await this.banks.webhookKeyValidity(bankCode)).find((candidate) => candidate.keyId === keyId);
    if (!key) throw webhookKeyNotFound(bankCode, keyId);
    return webhookKeyResponseOf(bankCode, key, new Date());
  }
}

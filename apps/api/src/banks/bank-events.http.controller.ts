import { Controller, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import type { RawBodyRequest } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import type { BankEvent } from '@lib/account-linking/application/commands/record-bank-event/bank-event';
import { RecordBankEventCommand } from '@lib/account-linking/application/commands/record-bank-event/record-bank-event.command';
import { BANK_WEBHOOK_KEYS, type BankWebhookKeys } from '@lib/account-linking/application/ports/bank-webhook-keys.port';
import { CLOCK, type Clock } from '@lib/account-linking/application/ports/clock.port';
import { DomainError } from '@lib/account-linking/domain/domain-error';
import { KeyedHash } from '@lib/platform/crypto/keyed-hash';
import { ProblemException } from '@lib/platform/problem/problem.exception';
import { validationProblem } from '@lib/platform/problem/validation-problem';
import { verifyWebhook } from '@lib/platform/webhooks/verify-webhook';
import { webhookRejectedProblem } from '@lib/platform/webhooks/webhook-rejection.problem';
import { WebhookReceipts } from '@lib/platform/webhooks/webhook-receipts';
import { SQL_CLIENT, type SqlClient } from '@lib/platform/sql/sql-client';
import { eventMetadataOf } from '../http/event-metadata';
import { assertJsonBody } from '../http/json-body';
import { toLinkingProblem } from '../http/linking-problem';
import { ApiProblems, ApiWebhookSignature } from '../openapi/api-docs.decorators';
import { BankEventEnvelopeDto, DATA_CLASS_BY_TYPE } from './bank-event.request.dto';
import { ApiBankEventBody } from './bank-event.schema';

const VALIDATION = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true } as const;

const unknownBank = (bankCode: string) =>
  new ProblemException({ status: 404, code: 'unknown_bank', detail: `No bank with code ${bankCode} takes part` });

/**
 * `POST /v1/banks/{bankCode}/events`: Standard Webhooks from banks. Order matters: the sender is checked
 * (bank, signature, timestamp) before the body is looked at, and a webhook id is recorded only once valid.
 */
@ApiTags('banks')
@Controller('v1/banks/:bankCode/events')
export class BankEventsHttpController {
  constructor(
    private readonly commands: CommandBus,
    @Inject(BANK_WEBHOOK_KEYS) private readonly bankKeys: BankWebhookKeys,
    @Inject(WebhookReceipts) private readonly receipts: WebhookReceipts,
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    @Inject(KeyedHash) private readonly hash: KeyedHash,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'A bank reports an event of a link or of one of its accounts (Standard Webhooks)',
    description:
      'Authenticated by its signature, not by an access token. A repeated webhook-id has no second effect. ' +
      '`fraud.reported` and `account.closed` are recorded and set off the fraud rules `customer_objected` and ' +
      '`account_closed`, which suspend or revoke links as a system decision (`fraud_rule:<name>`).',
  })
  @ApiWebhookSignature()
  @ApiBankEventBody()
  @ApiNoContentResponse({ description: 'Accepted (or a repeated webhook-id, acknowledged)' })
  @ApiProblems({
    400: 'Malformed body (`validation_failed`, `unknown_event_type`)',
    401: 'Bad signature, unknown key or stale timestamp (`invalid_signature`, `unknown_key`, `stale_timestamp`)',
    404: 'Unknown bank (`unknown_bank`) or link (`link_not_found`)',
    409: 'The link is not in a state for this event: recorded, no change',
    415: 'Not an application/json body',
  })
  @HttpCode(204)
  async receive(@Param('bankCode') bankCode: string, @Req() request: RawBodyRequest<FastifyRequest>): Promise<void> {
    const sender = /^\d{4}$/.test(bankCode) ? await this.bankKeys.webhookSender(bankCode) : undefined;
    if (!sender) throw unknownBank(bankCode);
    // Before the signature: the raw bytes a signature covers are kept for JSON bodies, the only kind taken.
    assertJsonBody(request);
    const verification = verifyWebhook({
      headers: request.headers,
      rawBody: request.rawBody ?? '',
      keys: sender.keys,
      now: this.clock.now(),
    });
    if (!verification.ok) throw webhookRejectedProblem(verification.code);

    const event = await this.parse(request.body);
    const receiptSender = `bank:${bankCode}`;
    if (!(await this.receipts.recordOnce(this.sql, receiptSender, verification.webhookId))) return;

    const metadata = eventMetadataOf(request, { type: 'bank', id: bankCode }, (ip) => this.hash.sourceAddressHash(ip), {
      webhookId: verification.webhookId,
      webhookKeyId: verification.keyId,
      webhookBodySha256: verification.bodySha256,
      webhookTimestamp: verification.timestamp.toISOString(),
    });
    try {
      await this.commands.execute(new RecordBankEventCommand(bankCode, event, metadata, sender.bank));
    } catch (error) {
      // The webhook stays received only when its refusal was recorded (a DomainError: the link's state does
      // not allow it, 409). Otherwise nothing happened (no such link, a conflict, our failure): the bank's
      // retry must be answered again, not acknowledged as a duplicate.
      if (!(error instanceof DomainError)) await this.receipts.forget(receiptSender, verification.webhookId);
      throw toLinkingProblem(error);
    }
  }

  private async parse(body: unknown): Promise<BankEvent> {
    const envelope = plainToInstance(BankEventEnvelopeDto, body ?? {});
    const envelopeErrors = await validate(envelope, VALIDATION);
    if (envelopeErrors.length > 0) throw validationProblem(envelopeErrors);
    const dataClass = DATA_CLASS_BY_TYPE[envelope.type as keyof typeof DATA_CLASS_BY_TYPE];
    if (!dataClass) {
      throw new ProblemException({
        status: 400,
        code: 'unknown_event_type',
        detail: `Unknown bank event type; expected one of ${Object.keys(DATA_CLASS_BY_TYPE).join(', ')}`,
      });
    }
    const data: object = plainToInstance(dataClass as new () => object, envelope.data);
    const dataErrors = await validate(data, VALIDATION);
    if (dataErrors.length > 0)
      throw validationProblem(dataErrors.map((error) => ({ ...error, property: `data.${error.property}` })));
    return { type: envelope.type, data: JSON.parse(JSON.stringify(data)) } as BankEvent;
  }
}

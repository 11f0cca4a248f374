import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { BANK_WEBHOOK_KEYS, type BankWebhookKeys } from '@lib/account-linking/application/ports/bank-webhook-keys.port';
import { CLOCK, type Clock } from '@lib/account-linking/application/ports/clock.port';
import { SANDBOX_BANK_CODE, SANDBOX_BANK_KEY_ID } from '@lib/account-linking/infrastructure/sandbox/sandbox-bank';
import { signWebhook } from '@lib/platform/webhooks/sign-webhook';

/** What Sandbox Bank sent, and how the service's public webhook endpoint answered. */
export interface SandboxWebhookSent {
  webhook: { id: string; type: string; status: number };
  /** The problem the endpoint answered, if it refused the webhook. */
  problem?: unknown;
}

/**
 * Sandbox Bank's side of the webhooks: it signs a bank event with its own key, as a real bank would, and
 * delivers it through the public endpoint `POST /v1/banks/9900/events` (in process, over Fastify's inject).
 */
@Injectable()
export class SandboxBankWebhooks {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(BANK_WEBHOOK_KEYS) private readonly bankKeys: BankWebhookKeys,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async send(webhook: { type: string; data: unknown }): Promise<SandboxWebhookSent> {
    const keys = (await this.bankKeys.verificationKeys(SANDBOX_BANK_CODE)) ?? [];
    const key = keys.find((candidate) => candidate.keyId === SANDBOX_BANK_KEY_ID) ?? keys[0];
    if (key?.kind !== 'hmac') throw new Error('Sandbox Bank has no HMAC key');
    const raw = JSON.stringify({ type: webhook.type, data: webhook.data });
    const headers = signWebhook({ id: `msg_${randomUUID()}`, timestamp: this.clock.now(), body: raw, key });
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    const delivered = await fastify.inject({
      method: 'POST',
      url: `/v1/banks/${SANDBOX_BANK_CODE}/events`,
      headers: { ...headers, 'content-type': 'application/json' },
      payload: raw,
    });
    return {
      webhook: { id: headers['webhook-id'], type: webhook.type, status: delivered.statusCode },
      ...(delivered.statusCode >= 400 ? { problem: delivered.json() } : {}),
    };
  }
}

/** The OpenAPI schema of `SandboxWebhookSent`. */
export const SANDBOX_WEBHOOK_SENT_SCHEMA = {
  webhook: {
    type: 'object',
    properties: { id: { type: 'string' }, type: { type: 'string' }, status: { type: 'integer' } },
  },
  problem: { type: 'object', description: 'The problem the webhook endpoint answered, if any' },
} as const;

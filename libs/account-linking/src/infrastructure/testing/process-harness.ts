import { randomBytes, randomUUID } from 'node:crypto';
import type { CommandBus } from '@nestjs/cqrs';
import type { EventMetadata } from '@lib/event-store/event-store.port';
import { PostgresEventStore } from '@lib/event-store/postgres/postgres-event-store';
import type { Projection } from '@lib/event-store/projections/projection';
import { ProjectionRunner } from '@lib/event-store/projections/projection-runner';
import { PgliteSqlClient } from '@lib/platform/sql/pglite-sql-client';
import type { DriveLinkCommand } from '../../application/commands/drive-link/drive-link.command';
import { DriveLinkHandler } from '../../application/commands/drive-link/drive-link.handler';
import { linkStream } from '../../application/link-streams';
import type { Clock } from '../../application/ports/clock.port';
import type { PersonalDataVault } from '../../application/ports/personal-data-vault.port';
import { linkCommandRunnerFor } from '../../application/testing/application-fixtures';
import { DEFAULT_KYC_MATCH_RULE } from '../../domain/kyc/kyc-match.policy';
import type { LinkActivationPolicy } from '../../domain/link/bank-link-policy';
import type { LinkEvent } from '../../domain/link/link-events';

/** A clock the test moves by hand. */
export class TestClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current);
  }
  set(to: Date): void {
    this.current = new Date(to);
  }
  advanceMinutes(minutes: number): void {
    this.current = new Date(this.current.getTime() + minutes * 60_000);
  }
}

/** Seals as readable JSON: these tests are about the process, not the cipher. */
export const transparentVault: PersonalDataVault = {
  subjectFor: (app, customer) => `sub_${app}_${customer}`,
  seal: async (_subject, value) => `sealed:${Buffer.from(JSON.stringify(value)).toString('base64')}`,
  open: async <T>(sealed: string) =>
    sealed.startsWith('sealed:') ? (JSON.parse(Buffer.from(sealed.slice(7), 'base64').toString()) as T) : undefined,
  personalDataIn: async (value) => (JSON.stringify(value ?? null).includes('"sealed:') ? 'sealed' : 'none'),
  erase: async (_subject, at) => at,
  erasedAt: async () => undefined,
  erasedAtBeforeSealing: async () => undefined,
};

const metadata: EventMetadata = {
  actor: { type: 'bank', id: '0001' },
  correlationId: 'c',
  causationId: 'c',
  occurredAt: '2026-11-21T10:00:00.000Z',
};

/** An event log on in-memory PGlite with the link command side behind a command bus, for process tests. */
export class ProcessHarness {
  readonly runners: ProjectionRunner[] = [];
  readonly commands: CommandBus;

  private constructor(
    readonly sql: PgliteSqlClient,
    readonly store: PostgresEventStore,
  ) {
    const handler = new DriveLinkHandler(linkCommandRunnerFor(store));
    this.commands = { execute: (command: DriveLinkCommand) => handler.execute(command) } as unknown as CommandBus;
  }

  static async open(): Promise<ProcessHarness> {
    const sql = await PgliteSqlClient.open();
    return new ProcessHarness(sql, await PostgresEventStore.create(sql, { pollIntervalMs: 20 }));
  }

  /** Runs a process manager the way the worker does: a projection runner from its checkpoint. */
  run(projection: Projection): ProjectionRunner {
    const runner = new ProjectionRunner(this.store, this.sql, projection, {
      standbyRetryMs: 20,
      backoff: { initialMs: 5, maxMs: 20 },
    });
    runner.start();
    this.runners.push(runner);
    return runner;
  }

  /** Appends a link's events and waits until every running process manager has seen them. */
  async append(linkId: string, events: readonly LinkEvent[]): Promise<void> {
    const result = await this.store.appendToStream(
      linkStream(linkId),
      events.map((event) => ({ id: randomUUID(), type: event.type, data: event.data, metadata })),
      'any',
    );
    await this.settle(result.checkpoint);
  }

  async settle(checkpoint?: string): Promise<void> {
    const target = checkpoint ?? (await this.store.readAll(undefined, 100_000)).checkpoint;
    if (target) await Promise.all(this.runners.map((runner) => runner.waitFor(target)));
  }

  async eventTypes(linkId: string): Promise<string[]> {
    return (await this.store.readStream(linkStream(linkId))).map((event) => event.type);
  }

  async close(): Promise<void> {
    await Promise.all(this.runners.map((runner) => runner.stop()));
    await this.sql.close();
  }
}

export const newLinkId = () => `lnk_${randomBytes(9).toString('base64url')}`;

export const linkRequested = (
  linkId: string,
  at: string,
  expiresAt: string,
  account: { bankCode?: string; paymentAppId?: string; accountToken?: string } = {},
): LinkEvent => ({
  type: 'LinkRequested',
  data: {
    linkId,
    at,
    paymentAppId: account.paymentAppId ?? 'kotori-pay',
    customerReference: 'user-1',
    bankAccount: {
      bankCode: account.bankCode ?? '0001',
      branchCode: '123',
      type: 'ordinary',
      accountToken: account.accountToken ?? `tok_${linkId}`,
      last4: '4567',
    },
    sealedAccountNumber: 'sealed:account',
    deviceId: 'device-1',
    ekyc: { method: 'jpki', verifiedAt: at, attributes: 'sealed:ekyc' },
    expiresAt,
  },
});

/** The bank authenticated the customer and KYC matched: the events up to the notification request. */
export const kycMatched = (
  linkId: string,
  at: string,
  notification: {
    notifiedBy?: 'service' | 'bank';
    contact?: string;
    activation?: Partial<LinkActivationPolicy>;
  } = {},
): LinkEvent[] => [
  {
    type: 'BankAuthenticationSucceeded',
    data: {
      linkId,
      at,
      methods: ['password', 'otp_sms'],
      factorKinds: ['knowledge', 'possession'],
      phishingResistant: false,
      authenticatedAt: at,
    },
  },
  { type: 'KycMatched', data: { linkId, at, fields: [], rule: DEFAULT_KYC_MATCH_RULE } },
  {
    type: 'CustomerNotificationRequested',
    data: {
      linkId,
      at,
      notifiedBy: notification.notifiedBy ?? 'service',
      ...(notification.contact ? { contact: notification.contact } : {}),
      activation: { coolingOffMinutes: 0, customerConfirmationRequired: false, ...notification.activation },
    },
  },
];

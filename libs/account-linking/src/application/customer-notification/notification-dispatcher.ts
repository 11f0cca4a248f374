import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { aggregateStream } from '@lib/event-store/command-handling/handle-command';
import { EVENT_STORE, type EventMetadata, type EventStore } from '@lib/event-store/event-store.port';
import { backoffDelay } from '@lib/platform/resilience/backoff';
import { claimAndRun } from '@lib/platform/resilience/claimed-work';
import { DomainError } from '../../domain/domain-error';
import type { LinkFacts } from '../../domain/link/link-state';
import { linkDecider } from '../../domain/link/link.decider';
import { DriveLinkCommand, type DrivenLinkCommand } from '../commands/drive-link/drive-link.command';
import { linkStream } from '../link-streams';
import { CLOCK, type Clock } from '../ports/clock.port';
import {
  NotificationNotDelivered,
  NOTIFICATION_ROUTES,
  type NotificationRoutes,
} from '../ports/notification-channel.port';
import {
  type ClaimedNotification,
  NOTIFICATION_OUTBOX,
  type NotificationOutbox,
} from '../ports/notification-outbox.port';
import { NOTIFICATION_OUTCOMES, type NotificationOutcomes } from '../ports/notification-outcomes.port';
import { PAYMENT_APP_NAMES, type PaymentAppNames } from '../ports/payment-app-names.port';
import { PERSONAL_DATA_VAULT, type PersonalDataVault } from '../ports/personal-data-vault.port';
import { renderLinkNotification } from './link-notification.template';
import { NOTIFICATION_DISPATCH_SETTINGS, type NotificationDispatchSettings } from './notification-dispatch-settings';
import { notificationMessageId } from './notification-message-id';
import { type BankReportedContact, channelFor, recipientFor } from './notification-recipient';

type SendOutcome = { sent: string } | { failed: string; final: boolean; channel?: string };

/**
 * Delivers the customer notifications the outbox holds, then records each attempt on the link: delivered
 * (the link moves on per bank policy, R5) or failed (retried with backoff; the last failure rejects the link).
 * A message a channel accepted is marked sent before it is recorded, so a retry after a crash records it
 * without sending it again; a crash before that mark resends it under the same message id.
 */
@Injectable()
export class NotificationDispatcher {
  private readonly logger = new Logger('CustomerNotification');

  constructor(
    @Inject(NOTIFICATION_OUTBOX) private readonly outbox: NotificationOutbox,
    @Inject(NOTIFICATION_ROUTES) private readonly routes: NotificationRoutes,
    @Inject(PERSONAL_DATA_VAULT) private readonly vault: PersonalDataVault,
    @Inject(PAYMENT_APP_NAMES) private readonly appNames: PaymentAppNames,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(NOTIFICATION_DISPATCH_SETTINGS) private readonly settings: NotificationDispatchSettings,
    private readonly commands: CommandBus,
    @Optional() @Inject(NOTIFICATION_OUTCOMES) private readonly outcomes?: NotificationOutcomes,
  ) {}

  /** Handles every attempt due now; resolves with how many it claimed. */
  async dispatchDue(): Promise<number> {
    return claimAndRun(
      this.clock.now(),
      this.settings,
      (now, claimedUntil, limit) => this.outbox.claimDue(now, claimedUntil, limit),
      (notification) => this.dispatch(notification),
      (notification, error) => this.handleUnexpected(notification, error),
    );
  }

  private async dispatch(notification: ClaimedNotification): Promise<void> {
    if (notification.sent) {
      return this.recordDelivered(notification, notification.sent.channel, notification.sent.at);
    }
    const read = await aggregateStream(this.store, linkStream(notification.linkId), linkDecider);
    const { state } = read;
    if (state.status !== 'notifying_customer') {
      const now = this.clock.now();
      await this.outbox.settle(notification.messageId, 'cancelled', now, `the link is ${state.status}`);
      return this.outcomes?.record('cancelled');
    }
    const outcome = await this.send(notification, state.link);
    if ('failed' in outcome) {
      return this.recordFailure(notification, outcome.failed, outcome.final, outcome.channel);
    }
    const sentAt = this.clock.now();
    await this.outbox.markSent(notification.messageId, outcome.sent, sentAt);
    // The link as read before sending: the record expects that revision (a link moved meanwhile is read again).
    await this.recordDelivered(notification, outcome.sent, sentAt, read);
  }

  private async send(notification: ClaimedNotification, link: LinkFacts): Promise<SendOutcome> {
    const contact = notification.sealedContact
      ? await this.vault.open<BankReportedContact>(notification.sealedContact)
      : undefined;
    const recipient = recipientFor(contact);
    if (!recipient) return { failed: 'the bank reported no usable e-mail address or phone number', final: true };
    const channel = channelFor(this.routes, link.bankAccount.bankCode, recipient);
    if (!channel) return { failed: `no ${recipient.kind} channel is configured`, final: false };
    const appName = (await this.appNames.displayNameOf(link.paymentAppId)) ?? link.paymentAppId;
    const rendered = renderLinkNotification(
      {
        paymentAppName: appName,
        paymentAppId: link.paymentAppId,
        bankAccount: link.bankAccount,
        at: notification.requestedAt.toISOString(),
      },
      recipient.kind,
    );
    try {
      await channel.send({ messageId: notification.messageId, linkId: link.linkId, recipient, ...rendered });
      return { sent: channel.name };
    } catch (error) {
      if (error instanceof NotificationNotDelivered) {
        return { failed: `${channel.name}: ${error.reason}`, final: false, channel: channel.name };
      }
      throw error;
    }
  }

  private async recordDelivered(
    notification: ClaimedNotification,
    channel: string,
    sentAt: Date,
    known?: DriveLinkCommand['known'],
  ): Promise<void> {
    const now = this.clock.now();
    await this.drive(
      notification,
      {
        type: 'RecordNotificationDelivered',
        data: { now: now.toISOString(), channel, deliveredAt: sentAt.toISOString() },
      },
      known,
    );
    // Delivered even when the link moved on meanwhile (the bank reported it too, or it was revoked).
    await this.outbox.settle(notification.messageId, 'delivered', now, `accepted by ${channel}`);
    this.outcomes?.record('delivered', channel);
  }

  private async recordFailure(
    notification: ClaimedNotification,
    reason: string,
    permanent: boolean,
    channel?: string,
  ): Promise<void> {
    const now = this.clock.now();
    const final = permanent || notification.attempt >= this.settings.maxAttempts;
    const recorded = await this.drive(notification, {
      type: 'RecordNotificationFailed',
      data: { now: now.toISOString(), attempt: notification.attempt, final, reason },
    });
    if (!recorded) {
      await this.outbox.settle(notification.messageId, 'cancelled', now, 'the link no longer awaits a notification');
      return this.outcomes?.record('cancelled', channel);
    }
    if (final) {
      await this.outbox.settle(notification.messageId, 'failed', now, reason);
      return this.outcomes?.record('failed', channel);
    }
    const attempt = notification.attempt + 1;
    const delay = backoffDelay(notification.attempt, {
      initialMs: this.settings.retryInitialMs,
      maxMs: this.settings.retryMaxMs,
    });
    await this.outbox.failAndRetry(
      notification.messageId,
      now,
      reason,
      {
        messageId: notificationMessageId(notification.linkId, attempt),
        linkId: notification.linkId,
        attempt,
        ...(notification.sealedContact ? { sealedContact: notification.sealedContact } : {}),
        requestedAt: notification.requestedAt,
      },
      new Date(now.getTime() + delay),
    );
    this.outcomes?.record('retried', channel);
  }

  /** Sends the command to the link; false when the link's state refused it (it moved on). */
  private async drive(
    notification: ClaimedNotification,
    command: DrivenLinkCommand,
    known?: DriveLinkCommand['known'],
  ): Promise<boolean> {
    const metadata: EventMetadata = {
      actor: { type: 'system', id: 'customer-notifier' },
      correlationId: notification.messageId,
      causationId: notification.messageId,
      occurredAt: command.data.now,
    };
    try {
      await this.commands.execute(new DriveLinkCommand(notification.linkId, command, metadata, known));
      return true;
    } catch (error) {
      if (error instanceof DomainError) return false;
      throw error;
    }
  }

  /** Not a channel's refusal: left claimed, as a crash would leave it, until enough claims make it a failure. */
  private async handleUnexpected(notification: ClaimedNotification, error: unknown): Promise<void> {
    const what = error instanceof Error ? error.name : 'unknown error';
    this.logger.error(
      `Notification ${notification.messageId} (attempt ${notification.attempt}) was not handled: ${what}; it is retried once its claim runs out`,
    );
    if (notification.claims < this.settings.maxClaims || notification.sent) return;
    await this.recordFailure(notification, `not handled after ${notification.claims} tries`, false).catch(
      () => undefined,
    );
  }
}

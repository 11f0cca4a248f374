import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@lib/event-store/event-store.port';
import { backoffDelay } from '@lib/platform/resilience/backoff';
import { claimAndRun } from '@lib/platform/resilience/claimed-work';
import type { CustomerNotificationRequested, LinkEvent } from '../../domain/link/link-events';
import { initialLinkState, type LinkFacts } from '../../domain/link/link-state';
import { evolve } from '../../domain/link/link.evolve';
import { linkStream } from '../link-streams';
import {
  NotificationNotDelivered,
  NOTIFICATION_ROUTES,
  type NotificationRoutes,
} from '../ports/notification-channel.port';
import { NOTIFICATION_OUTCOMES, type NotificationOutcomes } from '../ports/notification-outcomes.port';
import { type ClaimedLinkNotice, LINK_NOTICE_OUTBOX, type LinkNoticeOutbox } from '../ports/link-notice-outbox.port';
import { PAYMENT_APP_NAMES, type PaymentAppNames } from '../ports/payment-app-names.port';
import { PERSONAL_DATA_VAULT, type PersonalDataVault } from '../ports/personal-data-vault.port';
import { CLOCK, type Clock } from '../ports/clock.port';
import { renderDeviceReboundNotification } from './device-rebound-notification.template';
import { NOTIFICATION_DISPATCH_SETTINGS, type NotificationDispatchSettings } from './notification-dispatch-settings';
import { type BankReportedContact, channelFor, recipientFor } from './notification-recipient';

type Outcome = { sent: string } | { failed: string; final: boolean; channel?: string };

/**
 * Delivers the link notices the outbox holds (a link bound to another device, R9) to the contact registered
 * at the bank: the one the bank reported when it authenticated the customer at linking, sealed on the
 * link's `CustomerNotificationRequested` (R4: never a contact the app supplied). Retried with backoff as
 * the link notification is; a notice changes no link, so its outcome stays in the outbox.
 */
@Injectable()
export class LinkNoticeDispatcher {
  private readonly logger = new Logger('LinkNotices');

  constructor(
    @Inject(LINK_NOTICE_OUTBOX) private readonly outbox: LinkNoticeOutbox,
    @Inject(NOTIFICATION_ROUTES) private readonly routes: NotificationRoutes,
    @Inject(PERSONAL_DATA_VAULT) private readonly vault: PersonalDataVault,
    @Inject(PAYMENT_APP_NAMES) private readonly appNames: PaymentAppNames,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(NOTIFICATION_DISPATCH_SETTINGS) private readonly settings: NotificationDispatchSettings,
    @Optional() @Inject(NOTIFICATION_OUTCOMES) private readonly outcomes?: NotificationOutcomes,
  ) {}

  /** Handles every notice due now; resolves with how many it claimed. */
  async dispatchDue(): Promise<number> {
    return claimAndRun(
      this.clock.now(),
      this.settings,
      (now, claimedUntil, limit) => this.outbox.claimDue(now, claimedUntil, limit),
      (notice) => this.dispatch(notice),
      async (notice, error) => {
        // Left claimed, as a crash would leave it, until enough claims make it a failure.
        this.logger.error(
          `Link notice ${notice.messageId} was not handled (${error instanceof Error ? error.name : 'error'}); retried once its claim runs out`,
        );
        if (notice.claims >= this.settings.maxClaims && !notice.sent) {
          await this.outbox.settle(notice.messageId, 'failed', this.clock.now(), 'not handled').catch(() => undefined);
        }
      },
    );
  }

  private async dispatch(notice: ClaimedLinkNotice): Promise<void> {
    if (notice.sent) return this.delivered(notice, notice.sent.channel);
    const outcome = await this.send(notice);
    const now = this.clock.now();
    if ('sent' in outcome) {
      await this.outbox.markSent(notice.messageId, outcome.sent, now);
      return this.delivered(notice, outcome.sent);
    }
    if (outcome.final || notice.attempt >= this.settings.maxAttempts) {
      await this.outbox.settle(notice.messageId, 'failed', now, outcome.failed);
      return this.outcomes?.record('failed', outcome.channel);
    }
    const delay = backoffDelay(notice.attempt, {
      initialMs: this.settings.retryInitialMs,
      maxMs: this.settings.retryMaxMs,
    });
    await this.outbox.retryLater(notice.messageId, now, outcome.failed, new Date(now.getTime() + delay));
    this.outcomes?.record('retried', outcome.channel);
  }

  private async delivered(notice: ClaimedLinkNotice, channel: string): Promise<void> {
    await this.outbox.settle(notice.messageId, 'delivered', this.clock.now(), `accepted by ${channel}`);
    this.outcomes?.record('delivered', channel);
  }

  private async send(notice: ClaimedLinkNotice): Promise<Outcome> {
    const events = await this.store.readStream(linkStream(notice.linkId));
    const history = events.map((event) => ({ type: event.type, data: event.data }) as LinkEvent);
    const state = history.reduce(evolve, initialLinkState());
    if (state.status === 'none') return { failed: 'the link does not exist', final: true };
    const sealed = history
      .filter((event): event is CustomerNotificationRequested => event.type === 'CustomerNotificationRequested')
      .map((event) => event.data.contact)
      .filter((contact) => contact !== undefined)
      .at(-1);
    const contact = sealed ? await this.vault.open<BankReportedContact>(sealed) : undefined;
    const recipient = recipientFor(contact);
    if (!recipient) return { failed: 'the bank reported no usable e-mail address or phone number', final: true };
    const link: LinkFacts = state.link;
    const channel = channelFor(this.routes, link.bankAccount.bankCode, recipient);
    if (!channel) return { failed: `no ${recipient.kind} channel is configured`, final: false };
    const appName = (await this.appNames.displayNameOf(link.paymentAppId)) ?? link.paymentAppId;
    const rendered = renderDeviceReboundNotification(
      {
        paymentAppName: appName,
        paymentAppId: link.paymentAppId,
        bankAccount: link.bankAccount,
        at: notice.occurredAt.toISOString(),
      },
      recipient.kind,
    );
    try {
      await channel.send({ messageId: notice.messageId, linkId: link.linkId, recipient, ...rendered });
      return { sent: channel.name };
    } catch (error) {
      if (error instanceof NotificationNotDelivered) {
        return { failed: `${channel.name}: ${error.reason}`, final: false, channel: channel.name };
      }
      throw error;
    }
  }
}

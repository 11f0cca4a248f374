import { Inject, Injectable } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';

/** How one notification attempt ended, as the outbox settles it. */
export type NotificationOutcome = 'delivered' | 'failed' | 'retried' | 'cancelled';

/**
 * Customer notifications by channel and outcome. Whoever delivers them records each attempt here
 * (inject it, or bind a port of the application to it with `useExisting`).
 */
@Injectable()
export class NotificationMetrics {
  private readonly notifications: Counter<'channel' | 'outcome'>;

  constructor(@Inject(Registry) registry: Registry) {
    this.notifications = new Counter({
      name: 'kouza_link_notifications_total',
      help: 'Customer notification attempts, by channel and outcome (delivered, failed, retried, cancelled)',
      labelNames: ['channel', 'outcome'],
      registers: [registry],
    });
  }

  /** `channel` is the channel's name (`sandbox`, `smtp`…), never an address; `none` when none was chosen. */
  record(outcome: NotificationOutcome, channel = 'none'): void {
    this.notifications.inc({ channel, outcome });
  }
}

export const NOTIFICATION_OUTCOMES = Symbol('NOTIFICATION_OUTCOMES');

/** How one notification attempt ended: `retried` is a failure with another attempt to come. */
export type NotificationOutcome = 'delivered' | 'failed' | 'retried' | 'cancelled';

/** Told of every attempt the dispatcher settles (metrics); `channel` is a channel's name, never an address. */
export interface NotificationOutcomes {
  record(outcome: NotificationOutcome, channel?: string): void;
}

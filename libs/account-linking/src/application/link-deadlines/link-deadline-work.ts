import type { LinkEvent } from '../../domain/link/link-events';
import { addMinutes, type Instant, MINUTES_PER_DAY } from '../../domain/time';
import type { LinkTimerKind } from '../ports/link-timers.port';

/** What a link event means for its deadlines. */
export type LinkDeadlineWork =
  | { type: 'schedule'; kind: LinkTimerKind; dueAt: Instant }
  | { type: 'cancel'; kinds: readonly LinkTimerKind[] };

/** The events that start or end a deadline; the process manager reads only these. */
export const LINK_DEADLINE_EVENT_TYPES = [
  'LinkRequested',
  'BankAuthenticationSucceeded',
  'BankAuthenticationFailed',
  'CoolingOffStarted',
  'LinkActivated',
  'LinkRejected',
  'LinkExpired',
  'LinkRevoked',
] as const satisfies readonly LinkEvent['type'][];

export function linkDeadlineWork(event: LinkEvent, settings: { dormancyDays: number }): LinkDeadlineWork[] {
  switch (event.type) {
    case 'LinkRequested':
      return [{ type: 'schedule', kind: 'expire', dueAt: event.data.expiresAt }];
    // The bank answered: the request can no longer expire.
    case 'BankAuthenticationSucceeded':
    case 'BankAuthenticationFailed':
      return [{ type: 'cancel', kinds: ['expire'] }];
    case 'CoolingOffStarted':
      return [{ type: 'schedule', kind: 'activate', dueAt: event.data.until }];
    // R13: from its activation, the link is dormant once unused for the period (its debits postpone it).
    case 'LinkActivated':
      return [
        { type: 'cancel', kinds: ['expire', 'activate'] },
        {
          type: 'schedule',
          kind: 'dormant',
          dueAt: addMinutes(event.data.at, settings.dormancyDays * MINUTES_PER_DAY),
        },
      ];
    case 'LinkRejected':
    case 'LinkExpired':
    case 'LinkRevoked':
      return [{ type: 'cancel', kinds: ['expire', 'activate', 'dormant'] }];
    default:
      return [];
  }
}

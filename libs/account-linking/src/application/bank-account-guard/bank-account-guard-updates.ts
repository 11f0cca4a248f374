import { Inject, Injectable } from '@nestjs/common';
import { handleCommand } from '@lib/event-store/command-handling/handle-command';
import { type AppendResult, EVENT_STORE, type EventMetadata, type EventStore } from '@lib/event-store/event-store.port';
import { bankAccountGuardDecider } from '../../domain/bank-account-guard/bank-account-guard.decider';
import { guardCommandForLinkEvent } from '../../domain/bank-account-guard/guard-command-for-link-event';
import type { LinkEvent } from '../../domain/link/link-events';
import { bankAccountGuardStream } from '../link-streams';
import { LINKING_SETTINGS, type LinkingSettings } from '../ports/linking-settings.port';

/**
 * Tells a bank account's guard stream what a link's events mean for it (an attempt ended, a failure that
 * counts towards lockout). Idempotent: the guard decider ignores what it has recorded already, so the
 * command side's fast path and the guard's catch-up may both apply the same event.
 */
@Injectable()
export class BankAccountGuardUpdates {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LINKING_SETTINGS) private readonly settings: LinkingSettings,
  ) {}

  /** The appends made, in order (none when the guard knew it all). */
  async apply(accountToken: string, events: readonly LinkEvent[], metadata: EventMetadata): Promise<AppendResult[]> {
    const appends: AppendResult[] = [];
    for (const event of events) {
      const command = guardCommandForLinkEvent(event);
      if (!command) continue;
      const withSettings =
        command.type === 'RecordAccountLinkingFailure'
          ? { ...command, data: { ...command.data, lockout: this.settings.lockout } }
          : command;
      const { append } = await handleCommand(
        this.store,
        bankAccountGuardStream(accountToken),
        bankAccountGuardDecider,
        withSettings,
        metadata,
      );
      if (append) appends.push(append);
    }
    return appends;
  }
}

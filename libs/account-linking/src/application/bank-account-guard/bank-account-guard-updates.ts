import { Inject, Injectable } from '@nestjs/common';
import { KeptStreams } from '@lib/event-store/command-handling/kept-streams';
import { type AppendResult, EVENT_STORE, type EventMetadata, type EventStore } from '@lib/event-store/event-store.port';
import type {
  BankAccountGuardCommand,
  RegisterLinkAttempt,
} from '../../domain/bank-account-guard/bank-account-guard.commands';
import { bankAccountGuardDecider } from '../../domain/bank-account-guard/bank-account-guard.decider';
import type { BankAccountGuardEvent } from '../../domain/bank-account-guard/bank-account-guard.events';
import type { BankAccountGuardState } from '../../domain/bank-account-guard/bank-account-guard.state';
import { guardCommandForLinkEvent } from '../../domain/bank-account-guard/guard-command-for-link-event';
import type { LinkEvent } from '../../domain/link/link-events';
import { bankAccountGuardStream } from '../link-streams';
import { LINKING_SETTINGS, type LinkingSettings } from '../ports/linking-settings.port';

/** How many guard streams' states this process keeps (the accounts it decided on last). */
const KEPT_STREAMS_MAX = 10_000;

/**
 * Tells a bank account's guard stream what a link's events mean for it (an attempt ended, a failure that
 * counts towards lockout), and claims accounts for requests. Idempotent: the guard decider ignores what it has
 * recorded already, so the command side's fast path and the guard's catch-up may both apply the same event.
 * Decided on the guard streams as this process last read or wrote them (`KeptStreams`); an account met here
 * first is taken to be new (its first link), so its claim costs no read.
 */
@Injectable()
export class BankAccountGuardUpdates {
  private readonly streams: KeptStreams<BankAccountGuardState, BankAccountGuardCommand, BankAccountGuardEvent>;

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(LINKING_SETTINGS) private readonly settings: LinkingSettings,
  ) {
    this.streams = new KeptStreams(store, bankAccountGuardDecider, { maxStreams: KEPT_STREAMS_MAX, assumeNew: true });
  }

  /** A request claims the account for its link (refused, as an event, when the account does not allow it). */
  claim(accountToken: string, command: RegisterLinkAttempt, metadata: EventMetadata) {
    return this.streams.decide(bankAccountGuardStream(accountToken), command, metadata);
  }

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
      const { append } = await this.streams.decide(bankAccountGuardStream(accountToken), withSettings, metadata);
      if (append) appends.push(append);
    }
    return appends;
  }
}

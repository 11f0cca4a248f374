import { Inject, Injectable } from '@nestjs/common';
import { handleCommand } from '@lib/event-store/command-handling/handle-command';
import { type Checkpoint, EVENT_STORE, type EventMetadata, type EventStore } from '@lib/event-store/event-store.port';
import { bankAccountGuardDecider } from '../domain/bank-account-guard/bank-account-guard.decider';
import { guardCommandForLinkEvent } from '../domain/bank-account-guard/guard-command-for-link-event';
import { DomainError } from '../domain/domain-error';
import type { LinkCommand } from '../domain/link/link-commands';
import type { LinkEvent } from '../domain/link/link-events';
import type { ExistingLinkState, LinkState } from '../domain/link/link-state';
import { linkDecider } from '../domain/link/link.decider';
import { bankAccountGuardStream, linkStream } from './link-streams';
import { LINKING_SETTINGS, type LinkingSettings } from './ports/linking-settings.port';
import { WrittenCheckpoints } from './queries/freshness/written-checkpoints';

export interface LinkCommandOutcome {
  state: ExistingLinkState;
  newEvents: LinkEvent[];
}

/**
 * Runs a command against one link's stream, then tells the bank account's guard stream what the new events
 * mean for it (an attempt finished, a failure that counts towards lockout).
 */
@Injectable()
export class LinkCommandRunner {
  /** Checkpoints of this process's writes, for reads that must see them. */
  readonly writes = new WrittenCheckpoints();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LINKING_SETTINGS) private readonly settings: LinkingSettings,
  ) {}

  async run(
    linkId: string,
    command: LinkCommand | ((state: LinkState) => LinkCommand),
    metadata: EventMetadata,
  ): Promise<LinkCommandOutcome> {
    const { state, newEvents, append } = await handleCommand(
      this.store,
      linkStream(linkId),
      linkDecider,
      command,
      metadata,
    );
    if (state.status === 'none') throw new DomainError('link_not_found', `No link ${linkId}`);
    if (append) this.rememberWrite(state, append.checkpoint);
    await this.updateGuard(state, newEvents, metadata);
    return { state, newEvents };
  }

  private async updateGuard(state: ExistingLinkState, events: LinkEvent[], metadata: EventMetadata): Promise<void> {
    const stream = bankAccountGuardStream(state.link.bankAccount.accountToken);
    for (const event of events) {
      const command = guardCommandForLinkEvent(event);
      if (!command) continue;
      const withSettings =
        command.type === 'RecordAccountLinkingFailure'
          ? { ...command, data: { ...command.data, lockout: this.settings.lockout } }
          : command;
      const { append } = await handleCommand(this.store, stream, bankAccountGuardDecider, withSettings, metadata);
      if (append) this.rememberWrite(state, append.checkpoint);
    }
  }

  /** A read after this write (by the link's app or bank, in this process) waits until read models reach it. */
  private rememberWrite(state: ExistingLinkState, checkpoint: Checkpoint): void {
    this.writes.record(checkpoint, {
      paymentAppId: state.link.paymentAppId,
      bankCode: state.link.bankAccount.bankCode,
    });
  }
}

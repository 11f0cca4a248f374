import { Inject, Injectable, Logger } from '@nestjs/common';
import { handleCommand } from '@lib/event-store/command-handling/handle-command';
import { EVENT_STORE, type EventMetadata, type EventStore } from '@lib/event-store/event-store.port';
import { DomainError } from '../domain/domain-error';
import type { LinkCommand } from '../domain/link/link-commands';
import type { LinkEvent } from '../domain/link/link-events';
import type { ExistingLinkState, LinkState } from '../domain/link/link-state';
import { linkDecider } from '../domain/link/link.decider';
import { ActorDefences } from './actor-defences/actor-defences';
import { BankAccountGuardUpdates } from './bank-account-guard/bank-account-guard-updates';
import { linkStream } from './link-streams';
import { WrittenCheckpoints } from './queries/freshness/written-checkpoints';

export interface LinkCommandOutcome {
  state: ExistingLinkState;
  newEvents: LinkEvent[];
}

/**
 * Runs a command against one link's stream. Then, as a fast path, tells the account's guard and the link's
 * actors what the new events mean, so the app may ask again at once; the durable catch-ups
 * (BankAccountGuardProcessManager, ActorDefencesProcessManager) apply them too, so a failure or a crash
 * here loses nothing.
 */
@Injectable()
export class LinkCommandRunner {
  private readonly logger = new Logger(LinkCommandRunner.name);

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly guard: BankAccountGuardUpdates,
    private readonly writes: WrittenCheckpoints,
    private readonly actors: ActorDefences,
  ) {}

  async run(
    linkId: string,
    command: LinkCommand | ((state: LinkState) => LinkCommand),
    metadata: EventMetadata,
    options: {
      /** `false`: nothing for the guard or the actors to do here (a request refused before it claimed anything). */
      fastPath?: boolean;
      /** The link's stream as the caller has just read it (see `HandleCommandOptions.known`). */
      known?: { state: LinkState; revision: number | undefined };
    } = {},
  ): Promise<LinkCommandOutcome> {
    const { state, newEvents, append } = await handleCommand(
      this.store,
      linkStream(linkId),
      linkDecider,
      command,
      metadata,
      options.known ? { known: options.known } : {},
    );
    if (state.status === 'none') throw new DomainError('link_not_found', `No link ${linkId}`);
    const touched = { paymentAppId: state.link.paymentAppId, bankCode: state.link.bankAccount.bankCode };
    if (append) this.writes.record(append.checkpoint, touched);
    if (options.fastPath === false) return { state, newEvents };
    try {
      const guardAppends = await this.guard.apply(state.link.bankAccount.accountToken, newEvents, metadata);
      for (const guardAppend of guardAppends) this.writes.record(guardAppend.checkpoint, touched);
      await this.actors.applyLinkEvents(state.link, newEvents, metadata);
    } catch (error) {
      // The link's events are recorded; the catch-ups of the guard and of the actors apply them from the log.
      this.logger.warn(
        `Guard and actor updates after link ${linkId} deferred to their catch-up (${error instanceof Error ? error.name : 'error'})`,
      );
    }
    return { state, newEvents };
  }
}

import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { foldStream, handleCommand } from '@lib/event-store/command-handling/handle-command';
import {
  EVENT_STORE,
  type EventMetadata,
  type EventStore,
  type RecordedEvent,
} from '@lib/event-store/event-store.port';
import { bankAccountGuardDecider } from '../../../domain/bank-account-guard/bank-account-guard.decider';
import type { BankAccountGuardState } from '../../../domain/bank-account-guard/bank-account-guard.state';
import { DomainError } from '../../../domain/domain-error';
import type { KycAttributes } from '../../../domain/kyc/kyc-attributes';
import type { LinkCommand } from '../../../domain/link/link-commands';
import type { ExistingLinkState } from '../../../domain/link/link-state';
import { linkDecider } from '../../../domain/link/link.decider';
import { openEkycOf } from '../../app-ekyc';
import { recordBankEventRefusal } from '../../bank-inbox';
import { DebitReports } from '../../debits/debit-reports';
import { ActorDefences } from '../../actor-defences/actor-defences';
import { LinkCommandRunner } from '../../link-command-runner';
import { bankAccountGuardStream, linkStream } from '../../link-streams';
import { LinkingRefused } from '../../linking-refused.error';
import { BANK_ACCOUNT_TOKENS, type BankAccountTokens } from '../../ports/bank-account-tokens.port';
import { BANK_DIRECTORY, type BankDirectory, type BankProfile } from '../../ports/bank-directory.port';
import { CLOCK, type Clock } from '../../ports/clock.port';
import { LINKING_SETTINGS, type LinkingSettings } from '../../ports/linking-settings.port';
import { PERSONAL_DATA_VAULT, type PersonalDataVault } from '../../ports/personal-data-vault.port';
import type { BankAccountEvent, BankLinkEvent } from './bank-event';
import { RecordBankEventCommand } from './record-bank-event.command';

/** What a bank's success is decided on besides the link: its account's guard, its actors' streams (read whole). */
interface AroundLink {
  guard: BankAccountGuardState;
  actorEvents: RecordedEvent[][];
}

/**
 * Applies a bank's webhook to the link it names. A webhook the link's state does not allow is refused
 * (409 at the edge) and the refusal is recorded on the bank's inbox stream: evidence, with no effect.
 * A webhook about an account (`account.closed`) is recorded on that account's guard stream.
 */
@CommandHandler(RecordBankEventCommand)
export class RecordBankEventHandler implements ICommandHandler<RecordBankEventCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(BANK_DIRECTORY) private readonly banks: BankDirectory,
    @Inject(PERSONAL_DATA_VAULT) private readonly vault: PersonalDataVault,
    @Inject(LINKING_SETTINGS) private readonly settings: LinkingSettings,
    @Inject(BANK_ACCOUNT_TOKENS) private readonly tokens: BankAccountTokens,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly links: LinkCommandRunner,
    private readonly actors: ActorDefences,
    private readonly debits: DebitReports,
  ) {}

  async execute({ bankCode, event, metadata, bank }: RecordBankEventCommand): Promise<void> {
    if (event.type === 'account.closed') return this.recordAccountEvent(bankCode, event, metadata);
    if (event.type === 'debit.settled' || event.type === 'debit.failed') {
      return this.debits.record(bankCode, event, metadata);
    }
    return this.recordLinkEvent(bankCode, event, metadata, bank);
  }

  /**
   * The account is one of the sender's own: its token is made with the bank code of the path, so a bank can
   * name no other bank's account, and the number goes no further than the keyed hash. Whether the service
   * ever saw the account or not, what the bank said is kept.
   */
  private async recordAccountEvent(bankCode: string, event: BankAccountEvent, metadata: EventMetadata) {
    const accountToken = this.tokens.tokenFor({ bankCode, ...event.data.bankAccount });
    await handleCommand(
      this.store,
      bankAccountGuardStream(accountToken),
      bankAccountGuardDecider,
      { type: 'RecordBankAccountClosed', data: { now: this.clock.now().toISOString() } },
      metadata,
    );
  }

  private async recordLinkEvent(
    bankCode: string,
    event: BankLinkEvent,
    metadata: EventMetadata,
    known: BankProfile | undefined,
  ): Promise<void> {
    const bankOf = async () => known ?? (await this.banks.find(bankCode));
    const linkId = event.data.linkId;
    // One read of the link serves the whole webhook: the decision (an append that expects this revision) and the
    // app's eKYC attributes, sealed on its first event.
    const events = await this.store.readStream(linkStream(linkId));
    const { state, revision } = foldStream(events, linkDecider);
    // Another bank's link is as unknown to this bank as a link that does not exist.
    if (state.status === 'none' || state.link.bankAccount.bankCode !== bankCode) {
      throw new LinkingRefused('link_not_found', `No link ${linkId} on an account of bank ${bankCode}`);
    }
    // A success is decided on the account's guard and the link's actors as they all are now: one read of them.
    const around = event.type === 'authentication.succeeded' ? await this.readAround(state) : undefined;
    const command =
      (await this.blockedActorRefusal(event, state, metadata, around)) ??
      (await this.commandFor(bankOf, event, state, events[0], around));
    try {
      await this.links.run(linkId, command, metadata, { known: { state, revision } });
    } catch (error) {
      if (error instanceof DomainError) await this.recordRefusal(bankCode, event, error, metadata);
      throw error;
    }
  }

  /**
   * R8: a bank's answer for a link whose device, customer or address is blocked rejects the link instead. A
   * failure is counted by the actors first, one at a time, so concurrent failures never pass a threshold.
   */
  private async blockedActorRefusal(
    event: BankLinkEvent,
    state: ExistingLinkState,
    metadata: EventMetadata,
    around: AroundLink | undefined,
  ): Promise<LinkCommand | undefined> {
    if (state.status !== 'awaiting_bank_authentication') return undefined;
    if (event.type !== 'authentication.failed' && event.type !== 'authentication.succeeded') return undefined;
    const now = this.clock.now().toISOString();
    const accepted =
      event.type === 'authentication.failed'
        ? await this.actors.countFailure(state.link, now, metadata)
        : around
          ? !this.actors.anyBlockedIn(state.link, around.actorEvents, now)
          : !(await this.actors.anyBlocked(state.link, now));
    return accepted ? undefined : { type: 'RejectForBlockedActor', data: { now } };
  }

  /** The account's guard and the link's actors' streams, in one read. */
  private async readAround(state: ExistingLinkState): Promise<AroundLink> {
    const guardStream = bankAccountGuardStream(state.link.bankAccount.accountToken);
    const [guardEvents = [], ...actorEvents] = await this.store.readStreams([
      guardStream,
      ...this.actors.streamsOfLink(state.link),
    ]);
    return { guard: foldStream(guardEvents, bankAccountGuardDecider).state, actorEvents };
  }

  private async commandFor(
    bankOf: () => Promise<BankProfile | undefined>,
    event: BankLinkEvent,
    state: ExistingLinkState,
    requested: RecordedEvent | undefined,
    around: AroundLink | undefined,
  ): Promise<LinkCommand> {
    const now = this.clock.now().toISOString();
    switch (event.type) {
      case 'authentication.succeeded': {
        const bank = await bankOf();
        if (!bank)
          throw new LinkingRefused('unknown_bank', `No bank with code ${state.link.bankAccount.bankCode} takes part`);
        const guard = around?.guard ?? (await this.readAround(state)).guard;
        const subject = this.vault.subjectFor(state.link.paymentAppId, state.link.customerReference);
        // An erased subject's contact is not recorded: nothing can be sealed for it any more.
        const hasContact =
          (event.data.contact.phone !== undefined || event.data.contact.email !== undefined) &&
          (await this.vault.erasedAt(subject)) === undefined;
        return {
          type: 'RecordBankAuthenticationSucceeded',
          data: {
            now,
            methods: event.data.methods,
            authenticatedAt: event.data.authenticatedAt,
            holder: event.data.holder,
            ekycAttributes: await this.ekycAttributesOf(requested),
            ...(hasContact ? { customerContact: await this.vault.seal(subject, event.data.contact) } : {}),
            bankPolicy: bank.policy,
            bankSuspended: bank.suspended,
            ...(guard.lockedUntil ? { accountLockedUntil: guard.lockedUntil } : {}),
            kycMatchRule: this.settings.kycMatchRule,
          },
        };
      }
      case 'authentication.failed':
        return { type: 'RecordBankAuthenticationFailed', data: { now, reason: event.data.reason } };
      case 'notification.delivered':
        return {
          type: 'RecordNotificationDelivered',
          data: { now, channel: event.data.channel, deliveredAt: event.data.deliveredAt },
        };
      case 'customer.confirmed':
        return { type: 'ConfirmByCustomer', data: { now } };
      case 'customer.objected':
        return { type: 'ObjectByCustomer', data: { now } };
      case 'link.revoked':
        return { type: 'Revoke', data: { now, by: 'customer', reason: `at the bank: ${event.data.reason}` } };
      case 'fraud.reported':
        return { type: 'ReportFraud', data: { now, by: 'bank', reason: event.data.reason } };
      case 'device.reauthenticated': {
        const bank = await bankOf();
        if (!bank)
          throw new LinkingRefused('unknown_bank', `No bank with code ${state.link.bankAccount.bankCode} takes part`);
        const { deviceId, methods, authenticatedAt } = event.data;
        return {
          type: 'RecordDeviceReauthenticated',
          data: { now, deviceId, methods, authenticatedAt, bankPolicy: bank.policy },
        };
      }
      case 'limits.confirmed':
        return { type: 'ConfirmLimitRaise', data: { now } };
      case 'limits.updated': {
        const { linkId: _linkId, ...change } = event.data;
        return { type: 'SetLimitsByBank', data: { now, change } };
      }
    }
  }

  /** The app's eKYC attributes, from the link's first event; an erased subject compares as nothing provided. */
  private async ekycAttributesOf(requested: RecordedEvent | undefined): Promise<KycAttributes> {
    return (await openEkycOf(this.vault, requested)) ?? { name: {} };
  }

  private recordRefusal(bankCode: string, event: BankLinkEvent, error: DomainError, metadata: EventMetadata) {
    const refusal = { linkId: event.data.linkId, bankEventType: event.type, code: error.code };
    return recordBankEventRefusal(this.store, bankCode, refusal, metadata);
  }
}

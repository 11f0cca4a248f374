import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { handleCommand } from '@lib/event-store/command-handling/handle-command';
import { EVENT_STORE, type EventStore } from '@lib/event-store/event-store.port';
import { bankAccountGuardDecider } from '../../../domain/bank-account-guard/bank-account-guard.decider';
import type { BankAccountGuardEvent } from '../../../domain/bank-account-guard/bank-account-guard.events';
import { LinkCommandRunner } from '../../link-command-runner';
import { newLinkId } from '../../link-id';
import { bankAccountGuardStream } from '../../link-streams';
import { LinkingRefused } from '../../linking-refused.error';
import { type LinkView, toLinkView } from '../../link-view';
import { BANK_ACCOUNT_TOKENS, type BankAccountTokens } from '../../ports/bank-account-tokens.port';
import { BANK_DIRECTORY, type BankDirectory, type BankProfile } from '../../ports/bank-directory.port';
import { CLOCK, type Clock } from '../../ports/clock.port';
import { LINKING_SETTINGS, type LinkingSettings } from '../../ports/linking-settings.port';
import { PERSONAL_DATA_VAULT, type PersonalDataVault } from '../../ports/personal-data-vault.port';
import { RequestLinkCommand } from './request-link.command';

/**
 * A payment app asks for a link. The account's guard stream is claimed first (one open link per app and
 * account, no link while the account is locked), then the link stream starts. Refusals are recorded.
 */
@CommandHandler(RequestLinkCommand)
export class RequestLinkHandler implements ICommandHandler<RequestLinkCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(BANK_DIRECTORY) private readonly banks: BankDirectory,
    @Inject(BANK_ACCOUNT_TOKENS) private readonly tokens: BankAccountTokens,
    @Inject(PERSONAL_DATA_VAULT) private readonly vault: PersonalDataVault,
    @Inject(LINKING_SETTINGS) private readonly settings: LinkingSettings,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly links: LinkCommandRunner,
  ) {}

  async execute({ input, metadata }: RequestLinkCommand): Promise<LinkView> {
    const bank = await this.banks.find(input.bankAccount.bankCode);
    if (!bank) {
      throw new LinkingRefused('unknown_bank', `No bank with code ${input.bankAccount.bankCode} takes part`);
    }
    const now = this.clock.now().toISOString();
    const linkId = newLinkId();
    const accountToken = this.tokens.tokenFor(input.bankAccount);

    const guard = await handleCommand(
      this.store,
      bankAccountGuardStream(accountToken),
      bankAccountGuardDecider,
      { type: 'RegisterLinkAttempt', data: { linkId, paymentAppId: input.paymentAppId, now } },
      metadata,
    );
    if (guard.append) {
      const touched = { paymentAppId: input.paymentAppId, bankCode: input.bankAccount.bankCode };
      this.links.writes.record(guard.append.checkpoint, touched);
    }
    const refusal = guard.newEvents.find((event) => event.type === 'LinkRequestRefused');
    if (refusal?.type === 'LinkRequestRefused' && refusal.data.reason === 'link_already_in_progress') {
      throw new LinkingRefused(
        'link_already_in_progress',
        'This app already has a link in progress or active on this bank account',
        refusal.data.openLinkId ? { openLinkId: refusal.data.openLinkId } : {},
      );
    }

    try {
      return await this.startLink(input, metadata, { linkId, now, accountToken, bank, refusal });
    } catch (error) {
      // The link never started: free the account's claim so the app can ask again.
      await handleCommand(
        this.store,
        bankAccountGuardStream(accountToken),
        bankAccountGuardDecider,
        { type: 'FinishLinkAttempt', data: { linkId, outcome: 'rejected', now } },
        metadata,
      );
      throw error;
    }
  }

  private async startLink(
    input: RequestLinkCommand['input'],
    metadata: RequestLinkCommand['metadata'],
    context: {
      linkId: string;
      now: string;
      accountToken: string;
      bank: BankProfile;
      refusal: BankAccountGuardEvent | undefined;
    },
  ): Promise<LinkView> {
    const { linkId, now, accountToken, bank, refusal } = context;
    const subject = this.vault.subjectFor(input.paymentAppId, input.customerReference);
    const sealedAccountNumber = await this.vault.seal(subject, input.bankAccount.number);
    const ekyc = input.ekyc && {
      method: input.ekyc.method,
      verifiedAt: input.ekyc.verifiedAt,
      attributes: await this.vault.seal(subject, input.ekyc.attributes),
    };

    const { state } = await this.links.run(
      linkId,
      {
        type: 'RequestLink',
        data: {
          now,
          linkId,
          paymentAppId: input.paymentAppId,
          customerReference: input.customerReference,
          bankAccount: {
            bankCode: input.bankAccount.bankCode,
            branchCode: input.bankAccount.branchCode,
            type: input.bankAccount.type,
            accountToken,
            last4: input.bankAccount.number.slice(-4),
          },
          sealedAccountNumber,
          deviceId: input.deviceId,
          ...(ekyc ? { ekyc } : {}),
          allowedEkycMethods: this.settings.allowedEkycMethods,
          requestTtlMinutes: this.settings.requestTtlMinutes,
          bankSuspended: bank.suspended,
          ...(refusal?.type === 'LinkRequestRefused' && refusal.data.lockedUntil
            ? { accountLockedUntil: refusal.data.lockedUntil }
            : {}),
        },
      },
      metadata,
    );
    if (state.status === 'rejected') {
      const code = state.reason;
      if (code === 'account_locked' || code === 'bank_suspended' || code === 'ekyc_method_not_allowed') {
        throw new LinkingRefused(code, state.detail, { linkId });
      }
    }
    return toLinkView(state);
  }
}

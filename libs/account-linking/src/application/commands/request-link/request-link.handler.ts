import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { handleCommand } from '@lib/event-store/command-handling/handle-command';
import { EVENT_STORE, type EventStore } from '@lib/event-store/event-store.port';
import type {
  BankAccountGuardEvent,
  LinkRequestRefused,
} from '../../../domain/bank-account-guard/bank-account-guard.events';
import type { BankAccountGuardState } from '../../../domain/bank-account-guard/bank-account-guard.state';
import type { LinkRequestAbandoned } from '../../../domain/link/link-events';
import type { ExistingLinkState } from '../../../domain/link/link-state';
import { linkDecider } from '../../../domain/link/link.decider';
import { epochMilliseconds } from '../../../domain/time';
import { ActorDefences } from '../../actor-defences/actor-defences';
import { BankAccountGuardUpdates } from '../../bank-account-guard/bank-account-guard-updates';
import { LinkCommandRunner } from '../../link-command-runner';
import { newLinkId } from '../../link-id';
import { linkStream } from '../../link-streams';
import { LinkingRefused } from '../../linking-refused.error';
import { type LinkView, toLinkView } from '../../link-view';
import { ACTOR_KEYS, type ActorKeys } from '../../ports/actor-keys.port';
import { BANK_ACCOUNT_TOKENS, type BankAccountTokens } from '../../ports/bank-account-tokens.port';
import { BANK_DIRECTORY, type BankDirectory, type BankProfile } from '../../ports/bank-directory.port';
import { CLOCK, type Clock } from '../../ports/clock.port';
import { LINKING_SETTINGS, type LinkingSettings } from '../../ports/linking-settings.port';
import { PERSONAL_DATA_VAULT, type PersonalDataVault } from '../../ports/personal-data-vault.port';
import { WrittenCheckpoints } from '../../queries/freshness/written-checkpoints';
import { RequestLinkCommand } from './request-link.command';

/**
 * A payment app asks for a link. The account's guard stream is claimed first (one open link per app and
 * account, no link while the account is locked: decided there, once), then the link stream starts.
 * Refusals are recorded. A claim is never left behind: a request that fails before its link starts closes
 * the link id, and a claim whose request died (a crash) is freed by the next request once it is stale.
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
    private readonly guard: BankAccountGuardUpdates,
    private readonly writes: WrittenCheckpoints,
    private readonly actorDefences: ActorDefences,
    @Inject(ACTOR_KEYS) private readonly actorKeys: ActorKeys,
  ) {}

  async execute({ input, metadata }: RequestLinkCommand): Promise<LinkView> {
    // An erased subject is refused before anything is written: no new personal data for it, ever (R14). (Any other
    // gets its key here, for the values the request seals.)
    const subject = this.vault.subjectFor(input.paymentAppId, input.customerReference);
    if (await this.vault.erasedAtBeforeSealing(subject)) {
      throw new LinkingRefused(
        'data_subject_erased',
        "This customer's personal data was erased on a lawful request: no link can be requested for them",
      );
    }
    const bank = await this.banks.find(input.bankAccount.bankCode);
    if (!bank) {
      throw new LinkingRefused('unknown_bank', `No bank with code ${input.bankAccount.bankCode} takes part`);
    }
    const now = this.clock.now().toISOString();
    const accountToken = this.tokens.tokenFor(input.bankAccount);
    const claim = { accountToken, paymentAppId: input.paymentAppId, bankCode: input.bankAccount.bankCode, now };

    const endUserAddressKey = input.ipAddress ? this.actorKeys.addressKeyOf(input.ipAddress) : undefined;
    const actors = { ...input, ...(endUserAddressKey ? { endUserAddressKey } : {}) };
    let linkId = newLinkId();
    // A blocked actor (as far as this process knows) is refused before it claims the account: its requests
    // cost the link's record of the refusal and nothing else.
    if (await this.actorDefences.blockedNow(actors, now)) {
      const context = { linkId, now, accountToken, bank, endUserAddressKey };
      await this.startRefusedLink(input, metadata, context, { ...claim, claimedAt: now });
    }
    let guard = await this.claimAccount(claim, linkId, metadata);
    let refusal = refusalIn(guard.newEvents);
    // A claim whose request stopped before it started its link (a crash) would hold the account for ever.
    if (
      refusal?.data.reason === 'link_already_in_progress' &&
      (await this.freeStaleClaim(guard.state, claim, metadata))
    ) {
      linkId = newLinkId();
      guard = await this.claimAccount(claim, linkId, metadata);
      refusal = refusalIn(guard.newEvents);
    }
    if (refusal?.data.reason === 'link_already_in_progress') {
      throw new LinkingRefused(
        'link_already_in_progress',
        'This app already has a link in progress or active on this bank account',
        refusal.data.openLinkId ? { openLinkId: refusal.data.openLinkId } : {},
      );
    }

    let state: ExistingLinkState;
    try {
      // R8 per actor (device, customer, address), for a request the account itself lets through.
      const actorsAccept = refusal
        ? true
        : (await this.actorDefences.register(actors, linkId, accountToken, now, metadata, bank.policy)).accepted;
      state = await this.startLink(input, metadata, {
        linkId,
        now,
        accountToken,
        bank,
        lockedUntil: refusal?.data.lockedUntil,
        closedAt: refusal?.data.closedAt,
        refusedForActor: !actorsAccept,
        endUserAddressKey,
      });
    } catch (error) {
      // The link may never have started: close its id and free the account's claim, so the app can ask again.
      await this.abandonIfNeverStarted(linkId, { ...claim, claimedAt: now }, metadata);
      throw error;
    }
    if (state.status === 'rejected') {
      const code = state.reason;
      if (
        code === 'account_locked' ||
        code === 'account_closed' ||
        code === 'bank_suspended' ||
        code === 'ekyc_method_not_allowed' ||
        code === 'actor_blocked'
      ) {
        throw new LinkingRefused(code, state.detail, { linkId });
      }
    }
    return toLinkView(state);
  }

  /** Records the request, rejected `actor_blocked` (or `bank_suspended`), and refuses it; no claim was made. */
  private async startRefusedLink(
    input: RequestLinkCommand['input'],
    metadata: RequestLinkCommand['metadata'],
    context: {
      linkId: string;
      now: string;
      accountToken: string;
      bank: BankProfile;
      endUserAddressKey: string | undefined;
    },
    claim: AccountClaim & { claimedAt: string },
  ): Promise<never> {
    let state: ExistingLinkState;
    try {
      state = await this.startLink(input, metadata, {
        ...context,
        lockedUntil: undefined,
        closedAt: undefined,
        refusedForActor: true,
        // Neither the account nor the actors took the attempt: their catch-ups find nothing to do either.
        fastPath: false,
      });
    } catch (error) {
      await this.abandonIfNeverStarted(context.linkId, claim, metadata);
      throw error;
    }
    // Rejected at once: a suspended bank before the block (R7 first), else the block.
    const code = state.status === 'rejected' && state.reason === 'bank_suspended' ? 'bank_suspended' : 'actor_blocked';
    const detail = state.status === 'rejected' ? state.detail : 'linking is refused';
    throw new LinkingRefused(code, detail, { linkId: context.linkId });
  }

  private async claimAccount(claim: AccountClaim, linkId: string, metadata: RequestLinkCommand['metadata']) {
    const guard = await this.guard.claim(
      claim.accountToken,
      { type: 'RegisterLinkAttempt', data: { linkId, paymentAppId: claim.paymentAppId, now: claim.now } },
      metadata,
    );
    if (guard.append) {
      this.writes.record(guard.append.checkpoint, { paymentAppId: claim.paymentAppId, bankCode: claim.bankCode });
    }
    return guard;
  }

  /**
   * Frees the app's open claim on the account when it is older than `staleClaimSeconds` and its link never
   * started; true when it did. A request still on its way loses the race on the link stream and fails.
   */
  private async freeStaleClaim(
    guard: BankAccountGuardState,
    claim: AccountClaim,
    metadata: RequestLinkCommand['metadata'],
  ): Promise<boolean> {
    const open = guard.openLinks.find((candidate) => candidate.paymentAppId === claim.paymentAppId);
    if (!open) return false;
    const age = epochMilliseconds(claim.now) - epochMilliseconds(open.registeredAt);
    if (age < this.settings.staleClaimSeconds * 1000) return false;
    return this.abandonIfNeverStarted(open.linkId, { ...claim, claimedAt: open.registeredAt }, metadata);
  }

  /** Closes the link id if its link never started (then frees the claim at once); true when it is closed. */
  private async abandonIfNeverStarted(
    linkId: string,
    claim: AccountClaim & { claimedAt: string },
    metadata: RequestLinkCommand['metadata'],
  ): Promise<boolean> {
    const { accountToken, paymentAppId, claimedAt, now } = claim;
    const { state } = await handleCommand(
      this.store,
      linkStream(linkId),
      linkDecider,
      { type: 'AbandonLinkRequest', data: { linkId, now, paymentAppId, accountToken, claimedAt } },
      metadata,
    );
    if (state.status !== 'none') return false;
    // The guard's catch-up frees the claim too; here so that the next request need not wait for it.
    const abandoned: LinkRequestAbandoned = {
      type: 'LinkRequestAbandoned',
      data: { linkId, at: state.abandonedAt ?? now, paymentAppId, accountToken, claimedAt },
    };
    await this.guard.apply(accountToken, [abandoned], metadata);
    return true;
  }

  private async startLink(
    input: RequestLinkCommand['input'],
    metadata: RequestLinkCommand['metadata'],
    context: {
      linkId: string;
      now: string;
      accountToken: string;
      bank: BankProfile;
      /** The guard refused the claim: the account is locked until then. */
      lockedUntil: string | undefined;
      /** The guard refused the claim: the bank reported the account closed then. */
      closedAt: string | undefined;
      refusedForActor: boolean;
      endUserAddressKey: string | undefined;
      fastPath?: boolean;
    },
  ): Promise<ExistingLinkState> {
    const { linkId, now, accountToken, bank, lockedUntil, closedAt, refusedForActor, endUserAddressKey } = context;
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
          ...(endUserAddressKey ? { endUserAddressKey } : {}),
          ...(input.userAgent ? { userAgentHash: this.actorKeys.userAgentHashOf(input.userAgent) } : {}),
          ...(ekyc ? { ekyc } : {}),
          allowedEkycMethods: this.settings.allowedEkycMethods,
          requestTtlMinutes: this.settings.requestTtlMinutes,
          bankSuspended: bank.suspended,
          ...(lockedUntil ? { refusedAsAccountLockedUntil: lockedUntil } : {}),
          ...(closedAt ? { refusedAsAccountClosedAt: closedAt } : {}),
          ...(refusedForActor ? { refusedForActor } : {}),
        },
      },
      metadata,
      // The id was minted for this request: its stream is new (were it not, the append would find it and read it).
      { fastPath: context.fastPath !== false, known: { state: linkDecider.initialState(), revision: undefined } },
    );
    return state;
  }
}

interface AccountClaim {
  accountToken: string;
  paymentAppId: string;
  bankCode: string;
  now: string;
}

const refusalIn = (events: readonly BankAccountGuardEvent[]): LinkRequestRefused | undefined =>
  events.find((event): event is LinkRequestRefused => event.type === 'LinkRequestRefused');

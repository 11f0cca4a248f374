import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { aggregateStream, handleCommand } from '@lib/event-store/command-handling/handle-command';
import { EVENT_STORE, type EventMetadata, type EventStore } from '@lib/event-store/event-store.port';
import type { CaseCommand } from '../../domain/case/case.commands';
import { caseDecider } from '../../domain/case/case.decider';
import type { CaseCategory, CaseDecision, CaseParty } from '../../domain/case/case.events';
import type { ExistingCaseState } from '../../domain/case/case.state';
import { debitDecider } from '../../domain/debit/debit.decider';
import { DomainError } from '../../domain/domain-error';
import { debitStream } from '../debits/debit-streams';
import { linkFactsOf } from '../fraud-rules/fraud-rule-trigger';
import { LinkingRefused } from '../linking-refused.error';
import { CLOCK, type Clock } from '../ports/clock.port';
import { PERSONAL_DATA_VAULT, type PersonalDataVault } from '../ports/personal-data-vault.port';
import { CASE_ID_PATTERN, caseStream } from './case-streams';
import { type CaseView, toCaseView } from './case-view';
import { addJapaneseBusinessDays } from './japanese-business-days';

export const CASE_SETTINGS = Symbol('CASE_SETTINGS');
export interface CaseSettings {
  /** API.md: `respondBy` is this many Japanese business days after opening (a deployment setting, 5). */
  responseBusinessDays: number;
}
export const DEFAULT_CASE_SETTINGS: CaseSettings = { responseBusinessDays: 5 };

/** Who asks: one of the two parties, or someone who sees every case (operators, audited investigators). */
export type CaseViewer = CaseParty | { kind: 'operator'; id: string } | { kind: 'investigator'; id: string };

export interface OpenCaseInput {
  linkId: string;
  category: CaseCategory;
  summary: string;
  debitIds: readonly string[];
}

const notFound = (caseId: string) => new DomainError('case_not_found', `No case ${caseId}`);

const isPartyOf = (state: ExistingCaseState, viewer: CaseViewer): boolean =>
  viewer.kind === 'operator' ||
  viewer.kind === 'investigator' ||
  (viewer.kind === 'payment_app' && viewer.id === state.facts.paymentAppId) ||
  (viewer.kind === 'bank' && viewer.id === state.facts.bankCode);

/**
 * Complaint cases (API.md "Complaint cases", R12): one case per complaint, on its own stream, that the link's
 * app and the link's bank both see and act on; anyone else is told it does not exist. Note text and the summary
 * are sealed for the link's customer (R14) before they reach an event.
 */
@Injectable()
export class ComplaintCases {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PERSONAL_DATA_VAULT) private readonly vault: PersonalDataVault,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CASE_SETTINGS) private readonly settings: CaseSettings,
  ) {}

  async open(party: CaseParty, input: OpenCaseInput, metadata: EventMetadata): Promise<CaseView> {
    const link = await linkFactsOf(this.store, input.linkId);
    const ownLink =
      link !== undefined &&
      (party.kind === 'payment_app' ? link.paymentAppId === party.id : link.bankAccount.bankCode === party.id);
    // Another app's or another bank's link is as unknown as a link that does not exist.
    if (!link || !ownLink) throw new LinkingRefused('link_not_found', `No link ${input.linkId}`);
    const debitIds = [...new Set(input.debitIds)];
    for (const debitId of debitIds) {
      const { state } = await aggregateStream(this.store, debitStream(debitId), debitDecider);
      if (state.status === 'none' || state.debit.linkId !== input.linkId) {
        throw new DomainError('case_debit_not_found', `No debit ${debitId} of link ${input.linkId}`);
      }
    }
    const dataSubject = this.vault.subjectFor(link.paymentAppId, link.customerReference);
    const caseId = `cas_${randomBytes(16).toString('base64url')}`;
    const now = this.clock.now().toISOString();
    const { state } = await handleCommand(
      this.store,
      caseStream(caseId),
      caseDecider,
      {
        type: 'OpenCase',
        data: {
          facts: {
            caseId,
            linkId: input.linkId,
            paymentAppId: link.paymentAppId,
            bankCode: link.bankAccount.bankCode,
            category: input.category,
            debitIds,
            dataSubject,
          },
          summary: await this.vault.seal(dataSubject, input.summary),
          openedBy: party,
          now,
          respondBy: addJapaneseBusinessDays(now, this.settings.responseBusinessDays),
        },
      },
      metadata,
    );
    return this.viewOf(state as ExistingCaseState);
  }

  async get(caseId: string, viewer: CaseViewer): Promise<CaseView> {
    return this.viewOf(await this.visible(caseId, viewer));
  }

  async addNote(caseId: string, by: CaseParty, text: string, metadata: EventMetadata): Promise<CaseView> {
    const found = await this.visible(caseId, by);
    const sealed = await this.vault.seal(found.facts.dataSubject, text);
    const noteId = `note_${randomBytes(12).toString('base64url')}`;
    return this.decide(caseId, { type: 'AddCaseNote', data: { noteId, by, text: sealed, now: this.now() } }, metadata);
  }

  async propose(caseId: string, by: CaseParty, decision: CaseDecision, metadata: EventMetadata): Promise<CaseView> {
    await this.visible(caseId, by);
    return this.decide(caseId, { type: 'ProposeCaseDecision', data: { by, decision, now: this.now() } }, metadata);
  }

  async agree(caseId: string, by: CaseParty, metadata: EventMetadata): Promise<CaseView> {
    await this.visible(caseId, by);
    return this.decide(caseId, { type: 'AgreeToCaseDecision', data: { by, now: this.now() } }, metadata);
  }

  async decideAsOperator(
    caseId: string,
    operatorId: string,
    decision: CaseDecision,
    metadata: EventMetadata,
  ): Promise<CaseView> {
    await this.visible(caseId, { kind: 'operator', id: operatorId });
    return this.decide(
      caseId,
      { type: 'DecideCaseAsOperator', data: { operatorId, decision, now: this.now() } },
      metadata,
    );
  }

  /** For the case's timer: records `CaseBecameOverdue` (once). */
  async markOverdue(caseId: string, metadata: EventMetadata): Promise<number> {
    const { newEvents } = await handleCommand(
      this.store,
      caseStream(caseId),
      caseDecider,
      { type: 'MarkCaseOverdue', data: { now: this.now() } },
      metadata,
    );
    return newEvents.length;
  }

  private now(): string {
    return this.clock.now().toISOString();
  }

  private async decide(caseId: string, command: CaseCommand, metadata: EventMetadata): Promise<CaseView> {
    const { state } = await handleCommand(this.store, caseStream(caseId), caseDecider, command, metadata);
    if (state.status === 'none') throw notFound(caseId);
    return this.viewOf(state);
  }

  /** The case if the viewer may see it; a malformed id, an unknown case and another's case are all 404. */
  private async visible(caseId: string, viewer: CaseViewer): Promise<ExistingCaseState> {
    if (!CASE_ID_PATTERN.test(caseId)) throw notFound(caseId);
    const { state } = await aggregateStream(this.store, caseStream(caseId), caseDecider);
    if (state.status === 'none' || !isPartyOf(state, viewer)) throw notFound(caseId);
    return state;
  }

  private async viewOf(state: ExistingCaseState): Promise<CaseView> {
    const notes = new Map<string, string | null>();
    for (const note of state.notes) notes.set(note.noteId, (await this.vault.open<string>(note.text)) ?? null);
    const summary = (await this.vault.open<string>(state.summary)) ?? null;
    return toCaseView(state, { summary, notes });
  }
}

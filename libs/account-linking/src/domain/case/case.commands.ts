import type { DomainCommand } from '../message';
import type { SealedPersonalData } from '../sealed-personal-data';
import type { Instant } from '../time';
import type { CaseActor, CaseDecision, CaseFacts, CaseParty } from './case.events';

/** `respondBy` comes in computed (business days are a calendar's, not the decider's). */
export type OpenCase = DomainCommand<
  'OpenCase',
  { facts: CaseFacts; summary: SealedPersonalData; openedBy: CaseParty; now: Instant; respondBy: Instant }
>;
export type AddCaseNote = DomainCommand<
  'AddCaseNote',
  { noteId: string; by: CaseActor; text: SealedPersonalData; now: Instant }
>;
export type ProposeCaseDecision = DomainCommand<
  'ProposeCaseDecision',
  { by: CaseParty; decision: CaseDecision; now: Instant }
>;
export type AgreeToCaseDecision = DomainCommand<'AgreeToCaseDecision', { by: CaseParty; now: Instant }>;
export type DecideCaseAsOperator = DomainCommand<
  'DecideCaseAsOperator',
  { operatorId: string; decision: CaseDecision; now: Instant }
>;
/** Sent by the case's timer at `respondBy`. */
export type MarkCaseOverdue = DomainCommand<'MarkCaseOverdue', { now: Instant }>;

export type CaseCommand =
  | OpenCase
  | AddCaseNote
  | ProposeCaseDecision
  | AgreeToCaseDecision
  | DecideCaseAsOperator
  | MarkCaseOverdue;

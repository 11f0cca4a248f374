import type { Checkpoint } from '@lib/event-store/event-store.port';
import type { CaseStatus } from '../../domain/case/case.state';
import type { CaseView } from '../cases/case-view';
import type { Page, PageRequest } from './link-read-model.port';

export const CASE_READ_MODEL = Symbol('CASE_READ_MODEL');

/** Whose cases: a party's own (the app of the link, the bank of its account), or every case (operators). */
export type CaseOwner = { kind: 'payment_app'; id: string } | { kind: 'bank'; id: string } | { kind: 'all' };

export interface CaseFilter {
  status?: CaseStatus;
  linkId?: string;
}

/** The cases read model: one row per case, its view without personal data (no summary, no note text). */
export interface CaseReadModel {
  settle(atLeast: Checkpoint | undefined, timeoutMs: number): Promise<Checkpoint | undefined>;
  /** Newest opened first, paginated by keyset (opened at, id). */
  list(owner: CaseOwner, filter: CaseFilter, page: PageRequest): Promise<Page<CaseView>>;
}

import type { Checkpoint } from '@lib/event-store/event-store.port';
import type { ExistingDebitState } from '../../domain/debit/debit.state';
import type { Page, PageRequest } from './link-read-model.port';

export const DEBIT_READ_MODEL = Symbol('DEBIT_READ_MODEL');

/** The debits read model: one row per debit, as its events left it. */
export interface DebitReadModel {
  /** Waits at most `timeoutMs` until the read model reflects `atLeast`; returns the checkpoint it reflects. */
  settle(atLeast: Checkpoint | undefined, timeoutMs: number): Promise<Checkpoint | undefined>;
  /** A link's debits, newest first, paginated by keyset (created at, id). */
  ofLink(linkId: string, page: PageRequest): Promise<Page<ExistingDebitState>>;
  /** Every debit id of a link, oldest first (for its history). */
  idsOfLink(linkId: string): Promise<string[]>;
}

import type { Checkpoint } from '@lib/event-store/event-store.port';
import type { ExistingLinkState } from '../../domain/link/link-state';

export const LINK_READ_MODEL = Symbol('LINK_READ_MODEL');

export type ExistingLinkStatus = ExistingLinkState['status'];

/** Which links to list; every field set narrows the selection. */
export interface LinkSelection {
  paymentAppId?: string;
  bankCode?: string;
  customerReference?: string;
  status?: ExistingLinkStatus;
  accountToken?: string;
  deviceId?: string;
}

export interface PageRequest {
  /** 1 to 100. */
  limit: number;
  /** The `nextCursor` of the page before, as the client sent it back. */
  cursor?: string;
}

export interface Page<Item> {
  items: Item[];
  /** Absent on the last page. */
  nextCursor: string | null;
}

/** A cursor this service did not hand out (or one damaged on the way). */
export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
}

/** The links read model: one row per link, as its events left it. */
export interface LinkReadModel {
  /** Waits at most `timeoutMs` until the read model reflects `atLeast`; returns the checkpoint it reflects. */
  settle(atLeast: Checkpoint | undefined, timeoutMs: number): Promise<Checkpoint | undefined>;
  find(linkId: string): Promise<ExistingLinkState | undefined>;
  /** Newest first, paginated by keyset (created at, id). */
  select(selection: LinkSelection, page: PageRequest): Promise<Page<ExistingLinkState>>;
  /** How many links the selection holds. */
  count(selection: LinkSelection): Promise<number>;
  /** How many links one bank has in each status. */
  countsByStatus(bankCode: string): Promise<Partial<Record<ExistingLinkStatus, number>>>;
}

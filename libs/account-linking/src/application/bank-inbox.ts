import { randomUUID } from 'node:crypto';
import type { EventMetadata, EventStore } from '@lib/event-store/event-store.port';
import { bankInboxStream } from './link-streams';

/** What a refused bank webhook was about: its link, or its debit (and that debit's link). */
export interface BankEventRefusal {
  bankEventType: string;
  code: string;
  linkId?: string;
  debitId?: string;
}

/**
 * Keeps a bank webhook the state did not allow, as evidence with no effect, on the bank's inbox stream
 * (`bank-inbox-{code}`). `any`: refusals of one bank arrive concurrently and order nothing, so there is no
 * expectation to contend on. On EventStoreDB its idempotence is best effort: a retry after a lost answer may
 * record the refusal twice, which says nothing false; a refusal never goes unrecorded.
 */
export async function recordBankEventRefusal(
  store: EventStore,
  bankCode: string,
  refusal: BankEventRefusal,
  metadata: EventMetadata,
): Promise<void> {
  await store.appendToStream(
    bankInboxStream(bankCode),
    [{ id: randomUUID(), type: 'BankEventRefused', data: { ...refusal, at: metadata.occurredAt }, metadata }],
    'any',
  );
}

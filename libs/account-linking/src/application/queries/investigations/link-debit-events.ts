import type { EventStore, RecordedEvent } from '@lib/event-store/event-store.port';
import type { DebitAmountReserved } from '../../../domain/debit/spending.events';
import { debitStream, spendingStream } from '../../debits/debit-streams';
import type { DebitReadModel } from '../../ports/debit-read-model.port';

/** Debit streams read at once: a link with years of debits must not open thousands of reads together. */
const DEBIT_STREAMS_AT_ONCE = 16;

/**
 * The link's spending stream and every debit stream of the link, whole, merged in global order. Which debits:
 * those the spending stream reserved (written before their own stream, so never missed) and those the debits
 * read model knows, which adds the refused ones (they never reach the spending stream) once it has caught up.
 */
export async function linkDebitEvents(
  store: EventStore,
  debits: DebitReadModel,
  linkId: string,
): Promise<RecordedEvent[]> {
  const spending = await store.readStream(spendingStream(linkId));
  const reserved = spending
    .filter((event) => event.type === 'DebitAmountReserved')
    .map((event) => (event.data as DebitAmountReserved['data']).debitId);
  const debitIds = [...new Set([...reserved, ...(await debits.idsOfLink(linkId))])];
  const merged = [...spending];
  for (let from = 0; from < debitIds.length; from += DEBIT_STREAMS_AT_ONCE) {
    const streams = await Promise.all(
      debitIds.slice(from, from + DEBIT_STREAMS_AT_ONCE).map((debitId) => store.readStream(debitStream(debitId))),
    );
    merged.push(...streams.flat());
  }
  // A store's checkpoints are fixed-width strings in global order.
  return merged.sort((a, b) => (a.checkpoint < b.checkpoint ? -1 : a.checkpoint > b.checkpoint ? 1 : 0));
}

import { Injectable } from '@nestjs/common';
import type { Checkpoint } from '@lib/event-store/event-store.port';

/** The later of two checkpoints of one store (they compare as strings); undefined only when both are. */
export const laterCheckpoint = (a: Checkpoint | undefined, b: Checkpoint | undefined): Checkpoint | undefined =>
  a === undefined ? b : b === undefined || a >= b ? a : b;

/** Whose writes a read must see: a payment app's, a bank's, or every write made here (investigators). */
export type WriteScope = { paymentAppId: string } | { bankCode: string } | 'all';

/**
 * The checkpoints of the writes this process made, overall and per payment app and bank whose link they
 * touched: a read right after a write waits for the read model to reach it (read your own writes, and an
 * app's read after the bank's webhook on its link). Per process: another replica's writes are not here,
 * which is what `X-Min-Checkpoint` is for. One per process: the command side records, the query side waits.
 */
@Injectable()
export class WrittenCheckpoints {
  private last: Checkpoint | undefined;
  private readonly byPaymentApp = new Map<string, Checkpoint>();
  private readonly byBank = new Map<string, Checkpoint>();

  record(checkpoint: Checkpoint, touched: { paymentAppId?: string; bankCode?: string } = {}): void {
    this.last = laterCheckpoint(this.last, checkpoint);
    if (touched.paymentAppId !== undefined) remember(this.byPaymentApp, touched.paymentAppId, checkpoint);
    if (touched.bankCode !== undefined) remember(this.byBank, touched.bankCode, checkpoint);
  }

  latest(): Checkpoint | undefined {
    return this.last;
  }

  forPaymentApp(paymentAppId: string): Checkpoint | undefined {
    return this.byPaymentApp.get(paymentAppId);
  }

  forBank(bankCode: string): Checkpoint | undefined {
    return this.byBank.get(bankCode);
  }

  /** The checkpoint a reader in `scope` must see: its own writes here, and what it asked for. */
  requiredBy(scope: WriteScope, minCheckpoint?: Checkpoint): Checkpoint | undefined {
    const written =
      scope === 'all'
        ? this.last
        : 'paymentAppId' in scope
          ? this.forPaymentApp(scope.paymentAppId)
          : this.forBank(scope.bankCode);
    return laterCheckpoint(minCheckpoint, written);
  }
}

function remember(map: Map<string, Checkpoint>, key: string, checkpoint: Checkpoint): void {
  const later = laterCheckpoint(map.get(key), checkpoint);
  if (later !== undefined) map.set(key, later);
}

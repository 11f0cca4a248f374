import type { EventStore } from '@lib/event-store/event-store.port';
import { BoundedCache } from '@lib/platform/crypto/bounded-cache';
import type { WebhookVerificationKey } from '@lib/platform/webhooks/webhook-key';
import { bankRegistryStream } from '../../application/bank-streams';
import type { BankDirectory, BankProfile } from '../../application/ports/bank-directory.port';
import type { BankRegistry } from '../../application/ports/bank-registry.port';
import type { BankWebhookKeys } from '../../application/ports/bank-webhook-keys.port';
import type { WebhookKeySealer } from '../../application/ports/webhook-key-sealer.port';
import { evolveBank } from '../../domain/bank/bank.decider';
import type { BankEvent } from '../../domain/bank/bank.events';
import { type BankState, initialBankState, type RegisteredBank } from '../../domain/bank/bank.state';

/** More than every bank in Japan; a bank's folded state is a few hundred bytes. */
const MAX_CACHED_BANKS = 2_000;

const profileOf = (bank: RegisteredBank): BankProfile => ({
  code: bank.bankCode,
  name: bank.name,
  policy: bank.policy,
  suspended: bank.suspension !== null,
});

interface Folded {
  readonly state: BankState;
  readonly revision: number;
}

/**
 * The hot path's view of banks (link requests, webhooks, the admin API): each read folds the bank's own
 * stream, so it sees every append made before it, whichever process made it. What was folded before is kept
 * by revision, and a read fetches only the events after it: usually none.
 *
 * Reads of one bank are coalesced without seeing less: who asks while a read is in flight (it may have started
 * before their ask, so it may miss an append made just before it) waits for the next read, which starts once that
 * one is done and serves everyone who asked meanwhile. So a busy bank costs at most two reads in flight's time,
 * not one per request.
 */
export class StreamBankRegistry implements BankRegistry, BankDirectory, BankWebhookKeys {
  private readonly folded = new BoundedCache<string, Folded>(MAX_CACHED_BANKS, Number.POSITIVE_INFINITY);
  private readonly reads = new Map<string, { inFlight: Promise<BankState>; next?: Promise<BankState> }>();

  constructor(
    private readonly store: EventStore,
    private readonly sealer: WebhookKeySealer,
  ) {}

  current(bankCode: string): Promise<BankState> {
    const reading = this.reads.get(bankCode);
    if (!reading) return this.startRead(bankCode);
    reading.next ??= reading.inFlight.then(
      () => this.startRead(bankCode),
      () => this.startRead(bankCode),
    );
    return reading.next;
  }

  /** A read that starts now; the one queued behind it (if any) takes its place once it is done. */
  private startRead(bankCode: string): Promise<BankState> {
    const inFlight = this.read(bankCode);
    this.reads.set(bankCode, { inFlight });
    const settled = () => {
      const reading = this.reads.get(bankCode);
      if (reading?.inFlight !== inFlight) return;
      if (reading.next) this.reads.set(bankCode, { inFlight: reading.next });
      else this.reads.delete(bankCode);
    };
    inFlight.then(settled, settled);
    return inFlight;
  }

  private async read(bankCode: string): Promise<BankState> {
    const known = this.folded.get(bankCode);
    const events = await this.store.readStream(
      bankRegistryStream(bankCode),
      known ? { fromRevision: known.revision + 1 } : {},
    );
    const last = events.at(-1);
    if (!last) return known?.state ?? initialBankState();
    const state = events.reduce(
      (folding, event) => evolveBank(folding, { type: event.type, data: event.data } as BankEvent),
      known?.state ?? initialBankState(),
    );
    // Concurrent reads may finish out of order: the cache only moves forwards.
    const latest = this.folded.get(bankCode);
    if (!latest || latest.revision < last.revision) this.folded.set(bankCode, { state, revision: last.revision });
    return state;
  }

  async find(bankCode: string): Promise<BankProfile | undefined> {
    const bank = await this.current(bankCode);
    return bank.status === 'none' ? undefined : profileOf(bank);
  }

  async verificationKeys(bankCode: string): Promise<WebhookVerificationKey[] | undefined> {
    return (await this.webhookSender(bankCode))?.keys;
  }

  async webhookSender(bankCode: string): Promise<{ bank: BankProfile; keys: WebhookVerificationKey[] } | undefined> {
    const bank = await this.current(bankCode);
    if (bank.status === 'none') return undefined;
    return { bank: profileOf(bank), keys: await this.keysOf(bank) };
  }

  private async keysOf(bank: RegisteredBank): Promise<WebhookVerificationKey[]> {
    const keys: WebhookVerificationKey[] = [];
    for (const key of bank.webhookKeys) {
      const material = await this.sealer.open(key.sealedMaterial);
      // Erased material verifies nothing.
      if (material === undefined) continue;
      const validity = {
        ...(key.notBefore ? { notBefore: new Date(key.notBefore) } : {}),
        ...(key.notAfter ? { notAfter: new Date(key.notAfter) } : {}),
      };
      keys.push(
        key.kind === 'hmac'
          ? { keyId: key.keyId, kind: 'hmac', secret: material, ...validity }
          : { keyId: key.keyId, kind: 'ed25519', publicKey: material, ...validity },
      );
    }
    return keys;
  }
}

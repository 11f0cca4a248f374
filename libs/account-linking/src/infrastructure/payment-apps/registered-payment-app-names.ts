import { BoundedCache } from '@lib/platform/crypto/bounded-cache';
import type { ClientRegistry } from '@lib/platform/auth/client-registry';
import type { PaymentAppNames } from '../../application/ports/payment-app-names.port';

/** How long a payment app's name is kept: a client's display name is set when it is registered and not changed. */
const NAME_TTL_MS = 5 * 60_000;
const MAX_NAMES = 1_000;

/**
 * Payment apps are OAuth clients: their display name is the one registered with the client. Names found are
 * kept a while (every notification of a link names its app: one statement less each); a miss is asked again.
 */
export class RegisteredPaymentAppNames implements PaymentAppNames {
  private readonly names: BoundedCache<string, string>;

  constructor(
    private readonly clients: Pick<ClientRegistry, 'find'>,
    now: () => number = Date.now,
  ) {
    this.names = new BoundedCache(MAX_NAMES, NAME_TTL_MS, now);
  }

  async displayNameOf(paymentAppId: string): Promise<string | undefined> {
    const kept = this.names.get(paymentAppId);
    if (kept !== undefined) return kept;
    const client = await this.clients.find(paymentAppId);
    if (client?.role !== 'payment_app') return undefined;
    this.names.set(paymentAppId, client.displayName);
    return client.displayName;
  }
}

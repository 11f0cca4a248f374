import type { ClientRegistry } from '@lib/platform/auth/client-registry';
import type { PaymentAppNames } from '../../application/ports/payment-app-names.port';

/** Payment apps are OAuth clients: their display name is the one registered with the client. */
export class RegisteredPaymentAppNames implements PaymentAppNames {
  constructor(private readonly clients: Pick<ClientRegistry, 'find'>) {}

  async displayNameOf(paymentAppId: string): Promise<string | undefined> {
    const client = await this.clients.find(paymentAppId);
    return client?.role === 'payment_app' ? client.displayName : undefined;
  }
}

import type { RegisteredClient } from '@lib/platform/auth/client-registry';
import { RegisteredPaymentAppNames } from './registered-payment-app-names';

describe('RegisteredPaymentAppNames', () => {
  const registered = new Map<string, Pick<RegisteredClient, 'role' | 'displayName'>>();
  const asked: string[] = [];
  const clients = {
    find: async (clientId: string) => {
      asked.push(clientId);
      return registered.get(clientId) as RegisteredClient | undefined;
    },
  };
  let clock = 0;
  const names = new RegisteredPaymentAppNames(clients, () => clock);

  beforeEach(() => {
    asked.length = 0;
  });

  it('names a payment app by its registered display name, asking the registry once in a while', async () => {
    registered.set('wallet', { role: 'payment_app', displayName: 'Wallet Pay' });
    await expect(names.displayNameOf('wallet')).resolves.toBe('Wallet Pay');
    await expect(names.displayNameOf('wallet')).resolves.toBe('Wallet Pay');
    expect(asked).toEqual(['wallet']);
    clock += 5 * 60_000;
    await expect(names.displayNameOf('wallet')).resolves.toBe('Wallet Pay');
    expect(asked).toEqual(['wallet', 'wallet']);
  });

  it('names no client that is not a payment app, and asks again for one not registered yet', async () => {
    registered.set('fraud-desk', { role: 'investigator', displayName: 'Fraud desk' });
    await expect(names.displayNameOf('fraud-desk')).resolves.toBeUndefined();
    await expect(names.displayNameOf('late-app')).resolves.toBeUndefined();
    registered.set('late-app', { role: 'payment_app', displayName: 'Late App' });
    await expect(names.displayNameOf('late-app')).resolves.toBe('Late App');
    expect(asked).toEqual(['fraud-desk', 'late-app', 'late-app']);
  });
});

export const PAYMENT_APP_NAMES = Symbol('PAYMENT_APP_NAMES');

/** How a payment app is named to customers: its registered display name. */
export interface PaymentAppNames {
  displayNameOf(paymentAppId: string): Promise<string | undefined>;
}

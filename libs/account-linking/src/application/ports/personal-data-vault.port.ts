export const PERSONAL_DATA_VAULT = Symbol('PERSONAL_DATA_VAULT');

/** Seals personal data per data subject before it reaches an event (R14: erasing the subject's key erases it). */
export interface PersonalDataVault {
  /** The data subject a payment app's customer is, without revealing the reference. */
  subjectFor(paymentAppId: string, customerReference: string): string;
  seal(subjectId: string, value: unknown): Promise<string>;
  /** Undefined when the subject was erased. */
  open<T>(sealed: string): Promise<T | undefined>;
}

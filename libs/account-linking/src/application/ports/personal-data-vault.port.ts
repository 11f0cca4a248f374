export const PERSONAL_DATA_VAULT = Symbol('PERSONAL_DATA_VAULT');

/** What a stored value holds of personal data: sealed values that open, sealed values of an erased subject, none. */
export type PersonalDataState = 'sealed' | 'erased' | 'none';

/** Seals personal data per data subject before it reaches an event (R14: erasing the subject's key erases it). */
export interface PersonalDataVault {
  /** The data subject a payment app's customer is, without revealing the reference. */
  subjectFor(paymentAppId: string, customerReference: string): string;
  seal(subjectId: string, value: unknown): Promise<string>;
  /** Undefined when the subject was erased. */
  open<T>(sealed: string): Promise<T | undefined>;
  /** Whether a stored value (an event's data, any depth) holds values this vault sealed, and whether they still open. */
  personalDataIn(value: unknown): Promise<PersonalDataState>;
  /** Crypto-shredding: destroys the subject's key, for good. Idempotent; answers when it was (first) erased. */
  erase(subjectId: string, at: Date): Promise<Date>;
  /** The instant the subject was erased, or undefined while it is not. */
  erasedAt(subjectId: string): Promise<Date | undefined>;
  /**
   * As `erasedAt`, for a subject about to have values sealed: a subject not erased gets its key now (a new one, or
   * the one stored), so the answer and the seals that follow cost one lookup together.
   */
  erasedAtBeforeSealing(subjectId: string): Promise<Date | undefined>;
}

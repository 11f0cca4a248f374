/** Personal data the application layer sealed (encrypted per data subject); the domain carries it, never opens it. */
export type SealedPersonalData = string;

import { type Instant, isBefore } from '../time';

/** An eKYC method the payment app may have used (R1); without `allowedUntil` it never retires. */
export interface AllowedEkycMethod {
  method: string;
  /** Exclusive: a link requested at or after this instant may no longer rely on the method. */
  allowedUntil?: Instant;
}

export type EkycMethodAssessment =
  | { allowed: true; method: string }
  | { allowed: false; code: 'ekyc_method_not_allowed'; detail: string };

export const ALWAYS_ALLOWED_EKYC_METHODS: readonly AllowedEkycMethod[] = [
  { method: 'jpki' },
  { method: 'ic_chip_read' },
];

/** JPKI and IC-chip reads always; photo-of-ID methods only until the configured retirement date. */
export const allowedEkycMethods = (photoIdMethodsAllowedUntil: Instant): readonly AllowedEkycMethod[] => [
  ...ALWAYS_ALLOWED_EKYC_METHODS,
  { method: 'photo_id_and_selfie', allowedUntil: photoIdMethodsAllowedUntil },
];

export const assessEkycMethod = (
  method: string | undefined,
  now: Instant,
  allowed: readonly AllowedEkycMethod[],
): EkycMethodAssessment => {
  if (method === undefined || method === '' || method === 'none') {
    return { allowed: false, code: 'ekyc_method_not_allowed', detail: 'the payment app did no eKYC of its own' };
  }
  const entry = allowed.find((candidate) => candidate.method === method);
  if (entry === undefined) {
    return {
      allowed: false,
      code: 'ekyc_method_not_allowed',
      detail: `eKYC method ${method} is not on the allowed list`,
    };
  }
  if (entry.allowedUntil !== undefined && !isBefore(now, entry.allowedUntil)) {
    return {
      allowed: false,
      code: 'ekyc_method_not_allowed',
      detail: `eKYC method ${method} was retired at ${entry.allowedUntil}`,
    };
  }
  return { allowed: true, method };
};

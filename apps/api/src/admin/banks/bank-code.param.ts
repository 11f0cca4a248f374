import { fieldValidationProblem } from '@lib/platform/problem/validation-problem';

/** A Zengin bank code: four digits. A malformed one in a path is bad input, not a missing bank. */
export function bankCodeParam(bankCode: string): string {
  if (!/^\d{4}$/.test(bankCode))
    throw fieldValidationProblem([{ field: 'bankCode', message: 'bankCode must be 4 digits' }]);
  return bankCode;
}

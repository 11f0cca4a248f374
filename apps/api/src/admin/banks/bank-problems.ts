import { DomainError } from '@lib/account-linking/domain/domain-error';
import { ProblemException } from '@lib/platform/problem/problem.exception';
import { fieldValidationProblem } from '@lib/platform/problem/validation-problem';
import { toLinkingProblem } from '../../http/linking-problem';

export const unknownBank = (bankCode: string) =>
  new ProblemException({ status: 404, code: 'unknown_bank', detail: `No bank with code ${bankCode} is registered` });

/**
 * The bank decider's refusals as the admin API answers them: an unknown bank or key is a missing resource
 * here (404), not a refused request; a validity that ends before it starts is bad input on `notAfter`.
 */
export function toBankProblem(error: unknown): unknown {
  if (error instanceof DomainError) {
    switch (error.code) {
      case 'unknown_bank':
      case 'webhook_key_not_found':
        return new ProblemException({ status: 404, code: error.code, detail: error.message });
      case 'webhook_key_exists':
        return new ProblemException({ status: 409, code: error.code, detail: error.message });
      case 'webhook_key_validity_inverted':
        return fieldValidationProblem([{ field: 'notAfter', message: error.message }]);
      default:
        break;
    }
  }
  return toLinkingProblem(error);
}

export async function mappingBankProblems<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toBankProblem(error);
  }
}

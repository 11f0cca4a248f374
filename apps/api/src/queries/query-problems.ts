import { InvalidCursorError } from '@lib/account-linking/application/ports/link-read-model.port';
import { fieldValidationProblem } from '@lib/platform/problem/validation-problem';
import { toLinkingProblem } from '../http/linking-problem';

/** A cursor the service did not hand out is bad input (400); the rest as for commands. */
export async function mappingQueryErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof InvalidCursorError) {
      throw fieldValidationProblem([{ field: 'cursor', message: 'cursor must be a nextCursor this service returned' }]);
    }
    throw toLinkingProblem(error);
  }
}

import type { ValidationError } from '@nestjs/common';
import type { ProblemFieldError } from './problem';
import { ProblemException } from './problem.exception';

// Bounds the answer to a hostile body with thousands of bad fields.
const MAX_FIELD_ERRORS = 50;

export function validationProblem(errors: readonly ValidationError[]): ProblemException {
  return fieldValidationProblem(fieldErrorsOf(errors));
}

/** `validation_failed` for field errors found otherwise than by class-validator. */
export function fieldValidationProblem(fieldErrors: readonly ProblemFieldError[]): ProblemException {
  return new ProblemException({
    status: 400,
    code: 'validation_failed',
    title: 'Validation failed',
    detail: 'The request does not match the expected shape.',
    errors: fieldErrors.slice(0, MAX_FIELD_ERRORS),
  });
}

export function fieldErrorsOf(errors: readonly ValidationError[], parentPath = ''): ProblemFieldError[] {
  const result: ProblemFieldError[] = [];
  for (const error of errors) {
    const field = parentPath && error.property ? `${parentPath}.${error.property}` : parentPath || error.property;
    for (const message of Object.values(error.constraints ?? {})) {
      result.push({ field: field || 'body', message });
    }
    if (error.children?.length) result.push(...fieldErrorsOf(error.children, field));
    if (result.length >= MAX_FIELD_ERRORS) break;
  }
  return result;
}

import { ValidationPipe } from '@nestjs/common';
import { validationProblem } from './validation-problem';

/** Rejects unknown and mistyped fields with a `validation_failed` problem; never echoes the offending values. */
export function validationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => validationProblem(errors),
  });
}

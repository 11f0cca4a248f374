import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { principalOf } from './auth-principal';

/** The `AuthPrincipal` that `JwtAuthGuard` admitted. */
export const Principal = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  const principal = principalOf(context.switchToHttp().getRequest<object>());
  if (!principal) throw new Error('@Principal() on a route without JwtAuthGuard');
  return principal;
});

import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { forbiddenProblem } from './auth-problems';
import { principalOf } from './auth-principal';
import type { ClientRole } from './client-role';
import { investigationCaseOf, REQUIRES_INVESTIGATION_CASE_KEY } from './investigation-case';
import { ROLES_KEY } from './roles.decorator';
import { SCOPES_KEY } from './scopes.decorator';

/**
 * Enforces `@Roles`, `@Scopes` and `@RequiresInvestigationCase` on a principal `JwtAuthGuard` admitted;
 * list it after `JwtAuthGuard`. A route with none of them admits any authenticated client.
 */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    const roles = this.reflector.getAllAndOverride<ClientRole[] | undefined>(ROLES_KEY, targets);
    const scopes = this.reflector.getAllAndOverride<string[] | undefined>(SCOPES_KEY, targets);
    const needsCase = this.reflector.getAllAndOverride<boolean | undefined>(REQUIRES_INVESTIGATION_CASE_KEY, targets);
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const principal = principalOf(request);
    // Fails closed and loudly: a route wired without JwtAuthGuard is a bug, not a caller's mistake.
    if (!principal) throw new Error('RolesGuard ran without a principal: list JwtAuthGuard before it');
    if (roles && !roles.includes(principal.role)) throw forbiddenProblem();
    if (scopes && !scopes.every((scope) => principal.scopes.includes(scope))) throw forbiddenProblem();
    if (needsCase) investigationCaseOf(request);
    return true;
  }
}

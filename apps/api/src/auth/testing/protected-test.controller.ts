import { Controller, Get, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { type AuthPrincipal, principalOf } from '@lib/platform/auth/auth-principal';
import { InvestigationCase, RequiresInvestigationCase } from '@lib/platform/auth/investigation-case';
import { JwtAuthGuard } from '@lib/platform/auth/jwt-auth.guard';
import { Principal } from '@lib/platform/auth/principal.decorator';
import { Roles } from '@lib/platform/auth/roles.decorator';
import { RolesGuard } from '@lib/platform/auth/roles.guard';
import { Scopes } from '@lib/platform/auth/scopes.decorator';

/** Routes guarded the way the service's controllers are, for the auth tests. */
@Controller('test')
@UseGuards(JwtAuthGuard, RolesGuard)
export class ProtectedTestController {
  @Get('me')
  me(@Principal() principal: AuthPrincipal): AuthPrincipal {
    return principal;
  }

  /** What passport left on the request: `request.user`, and the `isAuthenticated()` its middleware adds. */
  @Get('passport')
  passport(@Req() request: FastifyRequest & { user?: unknown; isAuthenticated?: () => boolean }) {
    return {
      user: request.user,
      isAuthenticated: request.isAuthenticated?.() ?? 'passport did not run',
      userIsThePrincipal: request.user !== undefined && request.user === principalOf(request),
    };
  }

  @Get('admin')
  @Roles('operator')
  admin() {
    return { ok: true };
  }

  @Get('links')
  @Roles('payment_app')
  @Scopes('links:write')
  writeLinks() {
    return { ok: true };
  }

  @Get('investigations')
  @Roles('investigator')
  @RequiresInvestigationCase()
  investigate(@InvestigationCase() caseId: string) {
    return { caseId };
  }
}

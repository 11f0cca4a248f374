import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { forbiddenProblem } from '@lib/platform/auth/auth-problems';
import { principalOf } from '@lib/platform/auth/auth-principal';

/**
 * A bank's API client is bound to its bank by its id: `bank-<bank code>` (e.g. `bank-0001`, role `bank`).
 * Register one with that id to give a bank's customer support access to its links.
 */
const BANK_CLIENT_ID = /^bank-(\d{4})$/;

export const bankClientId = (bankCode: string) => `bank-${bankCode}`;

/** The bank code a client id is bound to, if any. */
export const bankCodeOfClient = (clientId: string): string | undefined => BANK_CLIENT_ID.exec(clientId)?.[1];

/**
 * After `JwtAuthGuard` and `RolesGuard`: the `:bankCode` of the route must be the caller's own bank, else
 * 403 before anything is read or even validated.
 */
@Injectable()
export class OwnBankGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest<{ Params: { bankCode?: string } }>>();
    const principal = principalOf(request);
    if (!principal) throw new Error('OwnBankGuard ran without a principal: list JwtAuthGuard before it');
    const own = bankCodeOfClient(principal.clientId);
    if (own === undefined || own !== request.params.bankCode) throw forbiddenProblem();
    return true;
  }
}

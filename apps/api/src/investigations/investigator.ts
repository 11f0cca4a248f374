import type { FastifyRequest } from 'fastify';
import type { Investigator } from '@lib/account-linking/application/queries/investigations/investigation-audit';
import type { AuthPrincipal } from '@lib/platform/auth/auth-principal';
import type { KeyedHash } from '@lib/platform/crypto/keyed-hash';
import { eventMetadataOf } from '../http/event-metadata';

/** Who reads, for which investigation case, with the metadata of the request (for the audit of every read). */
export function investigatorOf(
  request: FastifyRequest,
  principal: AuthPrincipal,
  caseId: string,
  hash: KeyedHash,
): Investigator {
  const metadata = eventMetadataOf(
    request,
    { type: 'investigator', id: principal.clientId },
    (ip) => hash.sourceAddressHash(ip),
    { investigationCase: caseId },
  );
  return { investigatorId: principal.clientId, caseId, metadata };
}

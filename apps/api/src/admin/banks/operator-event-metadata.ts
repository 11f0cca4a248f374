import type { FastifyRequest } from 'fastify';
import type { EventMetadata } from '@lib/event-store/event-store.port';
import type { AuthPrincipal } from '@lib/platform/auth/auth-principal';
import type { KeyedHash } from '@lib/platform/crypto/keyed-hash';
import { eventMetadataOf } from '../../http/event-metadata';

/** Who changed a bank, from where (hashed), in which request; the time is the service clock's, as in the data. */
export const operatorEventMetadata = (
  request: FastifyRequest,
  operator: AuthPrincipal,
  hash: KeyedHash,
  now: Date,
): EventMetadata =>
  eventMetadataOf(request, { type: 'operator', id: operator.clientId }, (ip) => hash.sourceAddressHash(ip), {
    occurredAt: now.toISOString(),
  });

import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Actor, EventMetadata } from '@lib/event-store/event-store.port';

const TRACEPARENT = /^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}$/;

/**
 * The metadata every event of this request carries (ARCHITECTURE.md): who, which request, which trace.
 * The caller's address is kept only as a keyed hash.
 */
export function eventMetadataOf(
  request: FastifyRequest,
  actor: Actor,
  hashAddress: (address: string) => string,
  extra: Record<string, unknown> = {},
): EventMetadata {
  const requestId = String(request.id);
  const traceparent = request.headers.traceparent;
  const traceId = typeof traceparent === 'string' ? TRACEPARENT.exec(traceparent)?.[1] : undefined;
  return {
    actor,
    correlationId: traceId ?? requestId,
    causationId: requestId,
    requestId,
    occurredAt: new Date().toISOString(),
    sourceAddressHash: hashAddress(request.ip),
    ...(traceId ? { traceId } : {}),
    ...extra,
    // Unique per event batch so that two appends of one request stay distinguishable.
    messageId: randomUUID(),
  };
}

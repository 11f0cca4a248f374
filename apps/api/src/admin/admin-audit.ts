import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { EVENT_STORE, type EventMetadata, type EventStore } from '@lib/event-store/event-store.port';
import type { AuthPrincipal } from '@lib/platform/auth/auth-principal';
import type { ClientRole } from '@lib/platform/auth/client-role';
import { KeyedHash } from '@lib/platform/crypto/keyed-hash';
import { CLOCK, type Clock } from '@lib/account-linking/application/ports/clock.port';
import { eventMetadataOf } from '../http/event-metadata';

/**
 * Changes an operator makes to clients, in order, with who made it (metadata `actor`). Changes to a bank are
 * facts of the bank's own stream (`bank-registry-{code}`), recorded there with the operator as the actor.
 */
export const ADMIN_AUDIT_STREAM = 'admin-audit';

/**
 * What the audit records of each change: what changed, never a secret or key material (only whether the
 * service generated it).
 */
export type AdminAuditEntry =
  | {
      type: 'ClientRegistered';
      data: {
        clientId: string;
        role: ClientRole;
        scopes: readonly string[];
        displayName: string;
        secretGenerated: boolean;
      };
    }
  | { type: 'ClientDisabled'; data: { clientId: string; role: ClientRole; at: string } };

/**
 * Appends admin changes to `admin-audit`. Callers record a change after checking it can be made and before
 * making it, as the kill switch does: no change is ever made without its record.
 */
@Injectable()
export class AdminAudit {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(KeyedHash) private readonly hash: KeyedHash,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  metadataOf(request: FastifyRequest, operator: AuthPrincipal): EventMetadata {
    return eventMetadataOf(
      request,
      { type: 'operator', id: operator.clientId },
      (ip) => this.hash.sourceAddressHash(ip),
      {
        occurredAt: this.clock.now().toISOString(),
      },
    );
  }

  async record(entry: AdminAuditEntry, metadata: EventMetadata): Promise<void> {
    // `any`: the audit orders changes but decides nothing. Its idempotence is best effort on EventStoreDB: a
    // retry after a lost answer may record a change twice (same change, same actor), never leave it unrecorded.
    await this.store.appendToStream(
      ADMIN_AUDIT_STREAM,
      [{ id: randomUUID(), type: entry.type, data: entry.data, metadata }],
      'any',
    );
  }
}

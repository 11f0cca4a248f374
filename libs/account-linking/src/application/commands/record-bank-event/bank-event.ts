import type { KycAttributes } from '../../../domain/kyc/kyc-attributes';

/** A bank's webhook, validated at the edge (API.md "Banks (webhooks in)"). */
export type BankEvent =
  | {
      type: 'authentication.succeeded';
      data: {
        linkId: string;
        methods: string[];
        holder: KycAttributes;
        contact: { phone?: string; email?: string };
        authenticatedAt: string;
      };
    }
  | { type: 'authentication.failed'; data: { linkId: string; reason: string } }
  | { type: 'notification.delivered'; data: { linkId: string; channel: string; deliveredAt: string } }
  | { type: 'customer.confirmed'; data: { linkId: string; at: string } }
  | { type: 'customer.objected'; data: { linkId: string; at: string } }
  | { type: 'link.revoked'; data: { linkId: string; reason: string } };

import { instantOf } from '../../../domain/time';
import type { SealedWebhookKeyMaterial } from '../../ports/webhook-key-sealer.port';
import type { NewWebhookKey } from './add-bank-webhook-key.command';

/** A new key as the bank's stream records it: its material sealed, its validity as instants. */
export const recordedWebhookKey = (key: NewWebhookKey, sealed: SealedWebhookKeyMaterial) => ({
  keyId: key.keyId,
  kind: key.kind,
  ...sealed,
  notBefore: key.notBefore === undefined ? null : instantOf(key.notBefore),
  notAfter: key.notAfter === undefined ? null : instantOf(key.notAfter),
});

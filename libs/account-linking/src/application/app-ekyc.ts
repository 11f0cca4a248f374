import type { EventStore, RecordedEvent } from '@lib/event-store/event-store.port';
import type { KycAttributes } from '../domain/kyc/kyc-attributes';
import type { LinkRequested } from '../domain/link/link-events';
import { linkStream } from './link-streams';
import type { PersonalDataVault } from './ports/personal-data-vault.port';

/**
 * The eKYC attributes the payment app sent with the link request, opened. Undefined when it sent none or
 * the data subject was erased. They are sealed on `LinkRequested` only, the link's first event.
 */
export async function openAppEkyc(
  store: EventStore,
  vault: PersonalDataVault,
  linkId: string,
): Promise<KycAttributes | undefined> {
  const [requested] = await store.readStream(linkStream(linkId), { toRevision: 0 });
  return openEkycOf(vault, requested);
}

/** The same, from the link's first event as read. */
export async function openEkycOf(
  vault: PersonalDataVault,
  requested: RecordedEvent | undefined,
): Promise<KycAttributes | undefined> {
  if (requested?.revision !== 0) return undefined;
  const sealed = (requested.data as LinkRequested['data'] | undefined)?.ekyc?.attributes;
  return sealed ? vault.open<KycAttributes>(sealed) : undefined;
}

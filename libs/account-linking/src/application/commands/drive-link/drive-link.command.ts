import { Command } from '@nestjs/cqrs';
import type { EventMetadata } from '@lib/event-store/event-store.port';
import type {
  Activate,
  Expire,
  RecordNotificationDelivered,
  RecordNotificationFailed,
  Reinstate,
  Revoke,
  Suspend,
  ExpireDormant,
} from '../../../domain/link/link-commands';
import type { LinkState } from '../../../domain/link/link-state';
import type { LinkView } from '../../link-view';

/** Commands that processes (timers, notification delivery) and operators send to a link, as the domain has them. */
export type DrivenLinkCommand =
  | Activate
  | Expire
  | ExpireDormant
  | RecordNotificationDelivered
  | RecordNotificationFailed
  | Suspend
  | Reinstate
  | Revoke;

/** One link, one domain command: the process managers' and operators' way in. */
export class DriveLinkCommand extends Command<LinkView> {
  constructor(
    readonly linkId: string,
    readonly command: DrivenLinkCommand,
    readonly metadata: EventMetadata,
    /** The link's stream as the sender has just read it: the first decision is made on it (see `handleCommand`). */
    readonly known?: { state: LinkState; revision: number | undefined },
  ) {
    super();
  }
}

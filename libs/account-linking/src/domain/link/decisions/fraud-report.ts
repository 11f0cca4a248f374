import type { ReportFraud } from '../link-commands';
import type { LinkEvent } from '../link-events';
import type { LinkState } from '../link-state';
import { existingLink } from './link-state-guards';

/**
 * A bank reports fraud on one of its links: recorded whatever the link's status (a link that has ended may
 * still have been used by a fraudster), changing none by itself; the `customer_objected` fraud rule reacts.
 */
export const reportFraud = (command: ReportFraud, state: LinkState): LinkEvent[] => {
  const existing = existingLink(state, command.type);
  const { by, reason, now } = command.data;
  return [{ type: 'FraudReported', data: { linkId: existing.link.linkId, at: now, by, reason } }];
};

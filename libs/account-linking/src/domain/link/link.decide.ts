import { assertNever } from '../assert-never';
import { abandonLinkRequest } from './decisions/abandonment';
import { activate } from './decisions/activation';
import { rejectForBlockedActor } from './decisions/actor-block';
import { recordBankAuthenticationFailed, recordBankAuthenticationSucceeded } from './decisions/bank-authentication';
import { recordNotificationDelivered, recordNotificationFailed } from './decisions/customer-notification';
import { confirmByCustomer, objectByCustomer } from './decisions/customer-response';
import { recordDeviceReauthenticated, requestDeviceRebinding } from './decisions/device-rebinding';
import { expire, expireDormant } from './decisions/expiry';
import { confirmLimitRaise, requestLimitsChange, setLimitsByBank } from './decisions/limits';
import { reportFraud } from './decisions/fraud-report';
import { requestLink } from './decisions/request-link';
import { revoke } from './decisions/revocation';
import { reinstate, suspend } from './decisions/suspension';
import type { LinkCommand } from './link-commands';
import type { LinkEvent } from './link-events';
import type { LinkState } from './link-state';

/** New events for the command ([] is an idempotent no-op); throws a `DomainError` when the state refuses it. */
export const decide = (command: LinkCommand, state: LinkState): LinkEvent[] => {
  switch (command.type) {
    case 'RequestLink':
      return requestLink(command, state);
    case 'AbandonLinkRequest':
      return abandonLinkRequest(command, state);
    case 'RejectForBlockedActor':
      return rejectForBlockedActor(command, state);
    case 'RecordBankAuthenticationSucceeded':
      return recordBankAuthenticationSucceeded(command, state);
    case 'RecordBankAuthenticationFailed':
      return recordBankAuthenticationFailed(command, state);
    case 'RecordNotificationDelivered':
      return recordNotificationDelivered(command, state);
    case 'RecordNotificationFailed':
      return recordNotificationFailed(command, state);
    case 'ConfirmByCustomer':
      return confirmByCustomer(command, state);
    case 'ObjectByCustomer':
      return objectByCustomer(command, state);
    case 'Activate':
      return activate(command, state);
    case 'Expire':
      return expire(command, state);
    case 'ExpireDormant':
      return expireDormant(command, state);
    case 'Revoke':
      return revoke(command, state);
    case 'Suspend':
      return suspend(command, state);
    case 'Reinstate':
      return reinstate(command, state);
    case 'ReportFraud':
      return reportFraud(command, state);
    case 'RequestDeviceRebinding':
      return requestDeviceRebinding(command, state);
    case 'RecordDeviceReauthenticated':
      return recordDeviceReauthenticated(command, state);
    case 'RequestLimitsChange':
      return requestLimitsChange(command, state);
    case 'ConfirmLimitRaise':
      return confirmLimitRaise(command, state);
    case 'SetLimitsByBank':
      return setLimitsByBank(command, state);
    default:
      return assertNever(command, 'link command');
  }
};

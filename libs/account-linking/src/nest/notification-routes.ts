import type { NotificationRoutes } from '@lib/account-linking/application/ports/notification-channel.port';
import { HttpSmsChannel } from '@lib/account-linking/infrastructure/notifications/http-sms.channel';
import type { SandboxNotificationOutbox } from '@lib/account-linking/infrastructure/notifications/sandbox-notification-outbox';
import { SmtpEmailChannel } from '@lib/account-linking/infrastructure/notifications/smtp-email.channel';
import type { AppConfig } from '@lib/platform/config/app-config';
import { SANDBOX_BANK_CODE } from '@lib/account-linking/infrastructure/sandbox/sandbox-bank';

/** The channels configured for this deployment; Sandbox Bank's customers are told in the sandbox outbox. */
export function notificationRoutes(config: AppConfig, sandboxOutbox?: SandboxNotificationOutbox): NotificationRoutes {
  return {
    ...(config.SMTP_URL && config.SMTP_FROM
      ? { email: new SmtpEmailChannel({ url: config.SMTP_URL, from: config.SMTP_FROM }) }
      : {}),
    ...(config.SMS_API_URL && config.SMS_API_KEY
      ? { sms: new HttpSmsChannel({ url: config.SMS_API_URL, apiKey: config.SMS_API_KEY }) }
      : {}),
    ...(sandboxOutbox ? { sandbox: { bankCodes: [SANDBOX_BANK_CODE], channel: sandboxOutbox } } : {}),
  };
}

import { createHash } from 'node:crypto';

/** One id per link and attempt, the same on every replay and retry, and revealing nothing of the link id. */
export function notificationMessageId(linkId: string, attempt: number): string {
  const digest = createHash('sha256').update(`link-notification\u0000${linkId}\u0000${attempt}`).digest('base64url');
  return `ntf_${digest.slice(0, 32)}`;
}

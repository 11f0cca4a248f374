/** The durable work queues a process manager's batch fills and a worker loop drains (see WorkSignals). */
export const WORK_KINDS = {
  customerNotifications: 'customer-notifications',
  linkNotices: 'link-notices',
  webhookDeliveries: 'webhook-deliveries',
} as const;

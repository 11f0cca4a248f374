import { type CliCommand, instant, optionalString, requiredString, UsageError } from './cli-command';

export const webhookEndpointsCommand: CliCommand = {
  usage: 'webhook-endpoints',
  summary: "the caller's webhook endpoints (a payment app's or a bank's own), oldest first",
  positionals: [],
  role: 'payment_app_or_bank',
  async run({ io, webhooks }) {
    const { items } = await webhooks().endpoints();
    if (items.length === 0) io.out('No webhook endpoints.\n');
    for (const endpoint of items) {
      const types = endpoint.eventTypes.length === 0 ? 'every type' : endpoint.eventTypes.join(',');
      const disabled = endpoint.disabledAt ? ` since ${endpoint.disabledAt}` : '';
      const description = endpoint.description ? `  "${endpoint.description}"` : '';
      io.out(`${endpoint.id}  ${endpoint.status}${disabled}  ${endpoint.url}  ${types}${description}\n`);
    }
    return 0;
  },
};

export const webhookDeliveriesCommand: CliCommand = {
  usage: 'webhook-deliveries <endpointId> [--limit <n>] [--cursor <cursor>]',
  summary: "an endpoint's delivery attempts, newest first (event, attempt, outcome, response code, duration)",
  positionals: ['endpointId'],
  options: { limit: { type: 'string' }, cursor: { type: 'string' } },
  role: 'payment_app_or_bank',
  async run({ args, values, io, webhooks }) {
    const limitText = optionalString(values, 'limit');
    if (limitText !== undefined && !/^[1-9]\d{0,2}$/.test(limitText)) {
      throw new UsageError('--limit must be a whole number from 1 to 100');
    }
    const cursor = optionalString(values, 'cursor');
    const page = await webhooks().deliveries(args.endpointId as string, {
      ...(cursor !== undefined ? { cursor } : {}),
      ...(limitText !== undefined ? { limit: Number(limitText) } : {}),
    });
    if (page.items.length === 0) io.out('No delivery attempts.\n');
    for (const attempt of page.items) {
      io.out(
        `${attempt.at}  ${attempt.eventId}  attempt ${attempt.attempt}  ${attempt.status.padEnd(9)}  ${String(attempt.responseCode ?? '-').padStart(3)}  ${attempt.durationMs} ms\n`,
      );
    }
    if (page.nextCursor) io.out(`Older attempts: --cursor ${page.nextCursor}\n`);
    return 0;
  },
};

export const replayWebhooksCommand: CliCommand = {
  usage: 'replay-webhooks <endpointId> --since <time> [--until <time>]',
  summary: "send an endpoint its events of a window again, with the same event ids (times: ISO 8601 or 'now')",
  positionals: ['endpointId'],
  options: { since: { type: 'string' }, until: { type: 'string' } },
  role: 'payment_app_or_bank',
  async run({ args, values, io, webhooks }) {
    const since = instant(requiredString(values, 'since'), 'since', io.now());
    const untilText = optionalString(values, 'until');
    const until = untilText === undefined ? undefined : instant(untilText, 'until', io.now());
    const replay = await webhooks().replay(args.endpointId as string, { since, ...(until ? { until } : {}) });
    io.out(
      `Replay ${replay.replayId}: ${replay.deliveries} deliveries queued to ${args.endpointId} (events from ${since} to ${until ?? 'now'}, same ids).\n`,
    );
    return 0;
  },
};

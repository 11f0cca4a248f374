import { generateEd25519WebhookKeyPair } from '@lib/platform/webhooks/webhook-key-generation';
import type { NewWebhookKey, WebhookKeyView } from './admin-client';
import { type CliCommand, type CliIo, instant, optionalString, requiredString, UsageError } from './cli-command';

const compactTime = (now: Date) =>
  now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');

function printKey(io: CliIo, key: WebhookKeyView, verb: string): void {
  const validity = `valid from ${key.notBefore ?? 'now'} until ${key.notAfter ?? 'no end'}`;
  io.out(
    `Webhook key ${key.keyId} (${key.kind}) of bank ${key.bankCode} ${verb}: ${validity}${key.validNow ? '' : ' (not valid now)'}.\n`,
  );
}

export const addWebhookKeyCommand: CliCommand = {
  usage:
    'add-webhook-key <code> [--key-id <id>] [--kind hmac|ed25519] [--secret <whsec_…>] [--public-key <key>] [--not-before <time>] [--not-after <time>]',
  summary:
    'add a webhook key; hmac without --secret: the service generates the secret; ed25519 without --public-key: ' +
    'a key pair is made here and only the public key is sent',
  positionals: ['code'],
  options: {
    'key-id': { type: 'string' },
    kind: { type: 'string' },
    secret: { type: 'string' },
    'public-key': { type: 'string' },
    'not-before': { type: 'string' },
    'not-after': { type: 'string' },
  },
  role: 'operator',
  async run({ args, values, io, admin }) {
    const kind = optionalString(values, 'kind') ?? 'hmac';
    if (kind !== 'hmac' && kind !== 'ed25519') throw new UsageError('--kind must be hmac or ed25519');
    const secret = optionalString(values, 'secret');
    let publicKey = optionalString(values, 'public-key');
    if (kind === 'hmac' && publicKey !== undefined) throw new UsageError('--public-key is for --kind ed25519');
    if (kind === 'ed25519' && secret !== undefined) throw new UsageError('--secret is for --kind hmac');
    const pair = kind === 'ed25519' && publicKey === undefined ? generateEd25519WebhookKeyPair() : undefined;
    publicKey ??= pair?.publicKey;
    const notBefore = optionalString(values, 'not-before');
    const notAfter = optionalString(values, 'not-after');
    const key: NewWebhookKey = {
      keyId: optionalString(values, 'key-id') ?? `${kind}-${compactTime(io.now())}`,
      kind,
      ...(secret ? { secret } : {}),
      ...(publicKey ? { publicKey } : {}),
      ...(notBefore ? { notBefore: instant(notBefore, 'not-before', io.now()) } : {}),
      ...(notAfter ? { notAfter: instant(notAfter, 'not-after', io.now()) } : {}),
    };
    const added = await admin().addWebhookKey(args.code as string, key);
    printKey(io, added, 'added');
    if (added.secret) {
      io.out(
        `Webhook secret for the bank to sign with (shown once; give it to the bank over a safe channel):\n${added.secret}\n`,
      );
    }
    if (pair) {
      io.out(
        `Ed25519 private key for the bank to sign with (made here, never sent to the service, shown once):\n${pair.privateKey}\n`,
      );
    }
    io.out(
      `To retire an older key once the bank signs with this one: end-webhook-key ${added.bankCode} <old key id> --not-after <time>\n`,
    );
    return 0;
  },
};

export const endWebhookKeyCommand: CliCommand = {
  usage: 'end-webhook-key <code> <keyId> --not-after <time|now>',
  summary: "end a webhook key's validity (the second half of a rotation)",
  positionals: ['code', 'keyId'],
  options: { 'not-after': { type: 'string' } },
  role: 'operator',
  async run({ args, values, io, admin }) {
    const notAfter = instant(requiredString(values, 'not-after'), 'not-after', io.now());
    const key = await admin().endWebhookKey(args.code as string, args.keyId as string, notAfter);
    printKey(io, key, 'ends');
    return 0;
  },
};

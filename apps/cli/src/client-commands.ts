import type { ClientRole, ClientView } from './admin-client';
import { type CliCommand, type CliIo, optionalString, requiredString, UsageError } from './cli-command';

const ROLES: readonly ClientRole[] = ['payment_app', 'investigator', 'operator', 'bank'];

function printRegistered(io: CliIo, client: ClientView): void {
  io.out(
    `Registered ${client.role} client ${client.clientId} (${client.displayName}), scopes: ${client.scopes.join(' ')}.\n`,
  );
  if (client.secret) {
    io.out(`Client secret (shown once; the service keeps only a hash): ${client.secret}\n`);
  } else {
    io.out('It authenticates with the secret you gave.\n');
  }
}

const registration = {
  name: { type: 'string' },
  secret: { type: 'string' },
} as const;

export const registerAppCommand: CliCommand = {
  usage: 'register-app <clientId> [--name <display name>] [--secret <secret>]',
  summary: 'register a payment app client; without --secret the service generates one and shows it once',
  positionals: ['clientId'],
  options: registration,
  role: 'operator',
  async run({ args, values, io, admin }) {
    const secret = optionalString(values, 'secret');
    const client = await admin().registerClient({
      clientId: args.clientId as string,
      role: 'payment_app',
      displayName: optionalString(values, 'name') ?? args.clientId ?? '',
      ...(secret ? { secret } : {}),
    });
    printRegistered(io, client);
    return 0;
  },
};

export const registerClientCommand: CliCommand = {
  usage:
    'register-client <clientId> --role payment_app|investigator|operator|bank [--name <display name>] [--secret <secret>]',
  summary: "register a client of any role (a bank's client is named bank-<code>)",
  positionals: ['clientId'],
  options: { ...registration, role: { type: 'string' } },
  role: 'operator',
  async run({ args, values, io, admin }) {
    const role = requiredString(values, 'role') as ClientRole;
    if (!ROLES.includes(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
    const secret = optionalString(values, 'secret');
    const client = await admin().registerClient({
      clientId: args.clientId as string,
      role,
      displayName: optionalString(values, 'name') ?? args.clientId ?? '',
      ...(secret ? { secret } : {}),
    });
    printRegistered(io, client);
    return 0;
  },
};

export const disableClientCommand: CliCommand = {
  usage: 'disable-client <clientId>',
  summary: 'stop issuing tokens to a client (those issued lapse within minutes)',
  positionals: ['clientId'],
  role: 'operator',
  async run({ args, io, admin }) {
    const client = await admin().disableClient(args.clientId as string);
    io.out(`Client ${client.clientId} (${client.role}) is disabled since ${client.disabledAt}.\n`);
    return 0;
  },
};

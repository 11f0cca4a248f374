import type { AdminClient, BankPolicy, BankView } from './admin-client';
import {
  type CliCommand,
  type CliIo,
  optionalString,
  requiredString,
  UsageError,
  wholeMinutes,
  yesNo,
} from './cli-command';
import { ServiceApiError } from './service-client';

const NOTIFIERS = ['service', 'bank'] as const;

function notifier(value: string): BankPolicy['customerNotifiedBy'] {
  if (!(NOTIFIERS as readonly string[]).includes(value)) throw new UsageError('--notified-by must be service or bank');
  return value as BankPolicy['customerNotifiedBy'];
}

/** What an operator wants to see of a bank: its policy, its kill switch, its keys (never their material). */
export function describeBank(io: CliIo, bank: BankView): void {
  const { policy, suspension } = bank;
  io.out(`Bank ${bank.bankCode} ${bank.name}\n`);
  io.out(`  customer notified by     ${policy.customerNotifiedBy}\n`);
  io.out(`  cooling-off              ${policy.coolingOffMinutes} minutes\n`);
  io.out(`  confirmation required    ${yesNo(policy.customerConfirmationRequired)}\n`);
  io.out(`  phishing-resistant MFA   ${yesNo(policy.phishingResistantFactorRequired)}\n`);
  io.out(
    `  kill switch              ${suspension.suspended ? `ON since ${suspension.since} (${suspension.reason ?? 'no reason'})` : 'off'}\n`,
  );
  if (bank.webhookKeys.length === 0) {
    io.out(`  webhook keys             none yet: add one with add-webhook-key ${bank.bankCode}\n`);
  }
  for (const key of bank.webhookKeys) {
    const validity = `from ${key.notBefore ?? key.createdAt} until ${key.notAfter ?? 'no end'}`;
    io.out(
      `  webhook key              ${key.keyId} (${key.kind}) ${validity}${key.validNow ? '' : '  [not valid now]'}\n`,
    );
  }
}

async function existingBank(admin: AdminClient, bankCode: string): Promise<BankView | undefined> {
  try {
    return await admin.bank(bankCode);
  } catch (error) {
    if (error instanceof ServiceApiError && error.status === 404) return undefined;
    throw error;
  }
}

export const registerBankCommand: CliCommand = {
  usage:
    'register-bank <code> --name <name> --notified-by service|bank --cooling-off <minutes> [--confirmation] [--phishing-resistant]',
  summary: 'register a bank and its linking policy (or replace them)',
  positionals: ['code'],
  options: {
    name: { type: 'string' },
    'notified-by': { type: 'string' },
    'cooling-off': { type: 'string' },
    confirmation: { type: 'boolean' },
    'phishing-resistant': { type: 'boolean' },
  },
  role: 'operator',
  async run({ args, values, io, admin }) {
    const code = args.code as string;
    const policy: BankPolicy = {
      customerNotifiedBy: notifier(requiredString(values, 'notified-by')),
      coolingOffMinutes: wholeMinutes(requiredString(values, 'cooling-off'), 'cooling-off'),
      customerConfirmationRequired: values.confirmation === true,
      phishingResistantFactorRequired: values['phishing-resistant'] === true,
    };
    const before = await existingBank(admin(), code);
    const bank = await admin().putBank(code, { name: requiredString(values, 'name'), policy });
    io.out(before ? `Updated bank ${code}.\n` : `Registered bank ${code}.\n`);
    describeBank(io, bank);
    return 0;
  },
};

export const setPolicyCommand: CliCommand = {
  usage:
    'set-policy <code> [--notified-by service|bank] [--cooling-off <minutes>] [--[no-]confirmation] [--[no-]phishing-resistant] [--name <name>]',
  summary: "change some of a bank's policy; what is not given stays as it is",
  positionals: ['code'],
  options: registerBankCommand.options ?? {},
  role: 'operator',
  async run({ args, values, io, admin }) {
    const code = args.code as string;
    const current = await admin().bank(code);
    const notifiedBy = optionalString(values, 'notified-by');
    const coolingOff = optionalString(values, 'cooling-off');
    const policy: BankPolicy = {
      customerNotifiedBy: notifiedBy === undefined ? current.policy.customerNotifiedBy : notifier(notifiedBy),
      coolingOffMinutes:
        coolingOff === undefined ? current.policy.coolingOffMinutes : wholeMinutes(coolingOff, 'cooling-off'),
      customerConfirmationRequired:
        typeof values.confirmation === 'boolean' ? values.confirmation : current.policy.customerConfirmationRequired,
      phishingResistantFactorRequired:
        typeof values['phishing-resistant'] === 'boolean'
          ? values['phishing-resistant']
          : current.policy.phishingResistantFactorRequired,
    };
    const bank = await admin().putBank(code, { name: optionalString(values, 'name') ?? current.name, policy });
    io.out(`Policy of bank ${code} set; it applies to link requests from now on.\n`);
    describeBank(io, bank);
    return 0;
  },
};

export const showBankCommand: CliCommand = {
  usage: 'show-bank <code>',
  summary: "a bank's policy, kill switch and webhook keys",
  positionals: ['code'],
  role: 'operator',
  async run({ args, io, admin }) {
    describeBank(io, await admin().bank(args.code as string));
    return 0;
  },
};

export const suspendBankCommand: CliCommand = {
  usage: 'suspend-bank <code> --reason <text>',
  summary: "pull a bank's kill switch: new links and its pending authentications are refused",
  positionals: ['code'],
  options: { reason: { type: 'string' } },
  role: 'operator',
  async run({ args, values, io, admin }) {
    const view = await admin().suspendBank(args.code as string, requiredString(values, 'reason'));
    io.out(`Bank ${view.bankCode} is suspended since ${view.at}: ${view.reason}\n`);
    return 0;
  },
};

export const liftBankCommand: CliCommand = {
  usage: 'lift-bank <code>',
  summary: "lift a bank's kill switch",
  positionals: ['code'],
  role: 'operator',
  async run({ args, io, admin }) {
    const view = await admin().liftBankSuspension(args.code as string);
    io.out(`Bank ${view.bankCode} takes new links again (lifted at ${view.at}).\n`);
    return 0;
  },
};

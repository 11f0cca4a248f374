import { writeFile } from 'node:fs/promises';
import { actorBlocksCommand, liftActorBlockCommand } from './actor-block-commands';
import { AdminClient } from './admin-client';
import { disableClientCommand, registerAppCommand, registerClientCommand } from './client-commands';
import {
  liftBankCommand,
  registerBankCommand,
  setPolicyCommand,
  showBankCommand,
  suspendBankCommand,
} from './bank-commands';
import { type CliCommand, type CliIo, type CommandRole, parseCommandLine, UsageError } from './cli-command';
import {
  chainHistoryCommand,
  eraseSubjectCommand,
  evidenceCommand,
  recordLogDigestCommand,
  verifyLogCommand,
} from './evidence.command';
import { exportHistoryCommand } from './export-history.command';
import { InvestigatorClient } from './investigator-client';
import { rebuildProjection } from './rebuild-projection.command';
import { ServiceApiError } from './service-client';
import { replayWebhooksCommand, webhookDeliveriesCommand, webhookEndpointsCommand } from './webhook-endpoint-commands';
import { addWebhookKeyCommand, endWebhookKeyCommand } from './webhook-key-commands';
import { WebhooksClient } from './webhooks-client';
import { casesCommand, showCaseCommand } from './case-commands';

const rebuildCommand: CliCommand = {
  usage: 'rebuild <read model|all>',
  summary:
    'rebuild a read model from zero beside the live one and swap it in (links, account-history, …), or all of them in one pass over the log',
  positionals: ['read model'],
  role: 'operator',
  async run({ args, io, admin }) {
    await rebuildProjection(admin(), args['read model'] as string, {
      progress: (line, final) => io.err(io.interactive ? `\r\x1b[2K${line}${final ? '\n' : ''}` : `${line}\n`),
      sleep: io.sleep,
    });
    return 0;
  },
};

const projectionsCommand: CliCommand = {
  usage: 'projections',
  summary: "every projection's lag behind the event log",
  positionals: [],
  role: 'operator',
  async run({ io, admin }) {
    const { projections } = await admin().projections();
    for (const lag of projections) {
      io.out(
        `${lag.projection.padEnd(40)} ${String(lag.eventsBehind).padStart(8)} events behind  ${lag.oldestPendingSeconds.toFixed(1)}s\n`,
      );
    }
    return 0;
  },
};

export const COMMANDS: Readonly<Record<string, CliCommand>> = {
  'register-app': registerAppCommand,
  'register-client': registerClientCommand,
  'disable-client': disableClientCommand,
  'register-bank': registerBankCommand,
  'set-policy': setPolicyCommand,
  'show-bank': showBankCommand,
  'add-webhook-key': addWebhookKeyCommand,
  'end-webhook-key': endWebhookKeyCommand,
  'suspend-bank': suspendBankCommand,
  'lift-bank': liftBankCommand,
  'actor-blocks': actorBlocksCommand,
  'lift-actor-block': liftActorBlockCommand,
  cases: casesCommand,
  'show-case': showCaseCommand,
  rebuild: rebuildCommand,
  projections: projectionsCommand,
  'export-history': exportHistoryCommand,
  evidence: evidenceCommand,
  'chain-history': chainHistoryCommand,
  'verify-log': verifyLogCommand,
  'record-log-digest': recordLogDigestCommand,
  'erase-subject': eraseSubjectCommand,
  'webhook-endpoints': webhookEndpointsCommand,
  'webhook-deliveries': webhookDeliveriesCommand,
  'replay-webhooks': replayWebhooksCommand,
};

/** Each role's sandbox client, used when neither --client-id nor KOUZA_LINK_CLIENT_ID names one. */
const DEFAULT_CLIENT: Readonly<Record<CommandRole, string>> = {
  operator: 'sandbox-operator',
  investigator: 'sandbox-investigator',
  payment_app_or_bank: 'sandbox-app',
};

/** Where a sandbox client's secret is when KOUZA_LINK_CLIENT_SECRET is unset (as `npm start` prints them). */
const SANDBOX_SECRET_VARIABLE: Readonly<Record<string, string>> = {
  'sandbox-operator': 'SANDBOX_OPERATOR_SECRET',
  'sandbox-investigator': 'SANDBOX_INVESTIGATOR_SECRET',
  'sandbox-app': 'SANDBOX_APP_SECRET',
};

const USAGE = `kouza-link CLI: talks to the running service over HTTP (npm run cli -- <command> [--client-id <id>] …)

${Object.values(COMMANDS)
  .map((command) => `  ${command.usage}\n      ${command.summary}`)
  .join('\n')}

Every command acts as one OAuth client, whose role it needs (operator, investigator, or, for the webhook
commands, the payment app or bank whose endpoints they are):
  --client-id <id>          the client to act as; else KOUZA_LINK_CLIENT_ID; else the command's sandbox client
                            (sandbox-operator; sandbox-investigator for export-history; sandbox-app for webhooks)
Environment:
  KOUZA_LINK_URL            the service (default http://localhost:3000)
  KOUZA_LINK_CLIENT_ID      the client to act as, when --client-id is not given
  KOUZA_LINK_CLIENT_SECRET  its secret (never on the command line, where ps and the shell history show it);
                            for a sandbox client, unset: SANDBOX_OPERATOR_SECRET, SANDBOX_INVESTIGATOR_SECRET or
                            SANDBOX_APP_SECRET, as printed by \`npm start\` in the sandbox
`;

/** Takes the options every command has (`--client-id`) out of its arguments. */
function globalOptions(argv: readonly string[]): { clientId?: string; rest: string[] } {
  const rest: string[] = [];
  let clientId: string | undefined;
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] as string;
    if (arg === '--client-id' || arg.startsWith('--client-id=')) {
      const value = arg === '--client-id' ? argv[++index] : arg.slice('--client-id='.length);
      if (value === undefined || value === '' || value.startsWith('--')) {
        throw new UsageError('--client-id needs a client id');
      }
      clientId = value;
    } else if (arg === '--client-secret' || arg.startsWith('--client-secret=')) {
      throw new UsageError(
        'a secret is not taken on the command line (ps and the shell history would show it): set KOUZA_LINK_CLIENT_SECRET',
      );
    } else {
      rest.push(arg);
    }
  }
  return { ...(clientId !== undefined ? { clientId } : {}), rest };
}

function processIo(): CliIo {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    interactive: process.stderr.isTTY === true,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    writeFile: (path, content) => writeFile(path, content, 'utf8'),
    now: () => new Date(),
  };
}

function reportProblem(io: CliIo, error: ServiceApiError, clientId: string): void {
  io.err(`error: ${error.code}: ${error.detail}\n`);
  for (const field of error.errors) io.err(`  ${field.field}: ${field.message}\n`);
  io.err(`  (${error.request} answered ${error.status ?? 'nothing'})\n`);
  if (error.status === 403) io.err(`  The client ${clientId} has not the role this command needs.\n`);
  if (error.status === 404 && error.code === 'webhook_endpoint_not_found') {
    io.err(`  Endpoints belong to the client that registered them: is ${clientId} the right --client-id?\n`);
  }
}

/** Runs one command; resolves with the exit code (0 done, 1 refused or failed, 2 a mistake in the command line). */
export async function main(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  io: CliIo = processIo(),
): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    (name === undefined ? io.err : io.out)(USAGE);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`error: unknown command ${name}\n\n${USAGE}`);
    return 2;
  }
  let clientId = env.KOUZA_LINK_CLIENT_ID || DEFAULT_CLIENT[command.role];
  try {
    const global = globalOptions(rest);
    clientId = global.clientId ?? clientId;
    const { args, values } = parseCommandLine(command, global.rest);
    const sandboxVariable = SANDBOX_SECRET_VARIABLE[clientId];
    const secret = env.KOUZA_LINK_CLIENT_SECRET || (sandboxVariable ? env[sandboxVariable] : undefined);
    if (!secret && !command.offline) {
      io.err(
        `error: no client secret: set KOUZA_LINK_CLIENT_SECRET to the secret of ${clientId}` +
          (sandboxVariable ? ` (with the sandbox, ${sandboxVariable} as printed at start)` : '') +
          '\n',
      );
      return 2;
    }
    const options = { url: env.KOUZA_LINK_URL || 'http://localhost:3000', clientId, clientSecret: secret ?? '' };
    let admin: AdminClient | undefined;
    let investigator: InvestigatorClient | undefined;
    let webhooks: WebhooksClient | undefined;
    return await command.run({
      args,
      values,
      io,
      env,
      admin: () => {
        admin ??= new AdminClient(options);
        return admin;
      },
      investigator: () => {
        investigator ??= new InvestigatorClient(options);
        return investigator;
      },
      webhooks: () => {
        webhooks ??= new WebhooksClient(options);
        return webhooks;
      },
    });
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`error: ${error.message}\nusage: ${command.usage}\n`);
      return 2;
    }
    if (error instanceof ServiceApiError) {
      reportProblem(io, error, clientId);
      return 1;
    }
    io.err(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2), process.env).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}

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
import { type CliCommand, type CliIo, parseCommandLine, UsageError } from './cli-command';
import { exportHistoryCommand } from './export-history.command';
import { InvestigatorClient } from './investigator-client';
import { rebuildProjection } from './rebuild-projection.command';
import { ServiceApiError } from './service-client';
import { addWebhookKeyCommand, endWebhookKeyCommand } from './webhook-key-commands';

const rebuildCommand: CliCommand = {
  usage: 'rebuild <read model>',
  summary: 'rebuild a read model from zero beside the live one and swap it in (links, account-history)',
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
  rebuild: rebuildCommand,
  projections: projectionsCommand,
  'export-history': exportHistoryCommand,
};

/** Each role's sandbox client, used when KOUZA_LINK_CLIENT_ID is unset. */
const DEFAULT_CLIENT = {
  operator: { clientId: 'sandbox-operator', secretVariable: 'SANDBOX_OPERATOR_SECRET' },
  investigator: { clientId: 'sandbox-investigator', secretVariable: 'SANDBOX_INVESTIGATOR_SECRET' },
} as const;

const USAGE = `kouza-link CLI: talks to the running service over HTTP (npm run cli -- <command> …)

${Object.values(COMMANDS)
  .map((command) => `  ${command.usage}\n      ${command.summary}`)
  .join('\n')}

Environment:
  KOUZA_LINK_URL            the service (default http://localhost:3000)
  KOUZA_LINK_CLIENT_ID      the client to act as (default sandbox-operator; sandbox-investigator for export-history)
  KOUZA_LINK_CLIENT_SECRET  its secret (default: SANDBOX_OPERATOR_SECRET, or SANDBOX_INVESTIGATOR_SECRET for
                            export-history, as printed by \`npm start\` in the sandbox)
`;

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
  const defaults = DEFAULT_CLIENT[command.role];
  const clientId = env.KOUZA_LINK_CLIENT_ID || defaults.clientId;
  try {
    const { args, values } = parseCommandLine(command, rest);
    const secret = env.KOUZA_LINK_CLIENT_SECRET || env[defaults.secretVariable];
    if (!secret) {
      io.err(
        `error: no client secret: set KOUZA_LINK_CLIENT_SECRET to the secret of ${env.KOUZA_LINK_CLIENT_ID ? clientId : `an ${command.role} client`}` +
          (env.KOUZA_LINK_CLIENT_ID ? '' : ` (with the sandbox, ${defaults.secretVariable} as printed at start)`) +
          '\n',
      );
      return 2;
    }
    const options = { url: env.KOUZA_LINK_URL || 'http://localhost:3000', clientId, clientSecret: secret };
    let admin: AdminClient | undefined;
    let investigator: InvestigatorClient | undefined;
    return await command.run({
      args,
      values,
      io,
      admin: () => {
        admin ??= new AdminClient(options);
        return admin;
      },
      investigator: () => {
        investigator ??= new InvestigatorClient(options);
        return investigator;
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

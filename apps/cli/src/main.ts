import { AdminClient } from './admin-client';
import { rebuildProjection } from './rebuild-projection.command';

const USAGE = `kouza-link operator CLI (talks to the running service over HTTP)

  rebuild <read model>   rebuild a read model from zero beside the live one and swap it in (links, account-history)
  projections            every projection's lag behind the event log

Environment: KOUZA_LINK_URL (default http://localhost:3000), KOUZA_LINK_CLIENT_ID (default sandbox-operator),
KOUZA_LINK_CLIENT_SECRET (an operator client's secret, e.g. SANDBOX_OPERATOR_SECRET).
`;

export async function main(argv: readonly string[], env: Record<string, string | undefined>): Promise<number> {
  const [command, argument] = argv;
  const secret = env.KOUZA_LINK_CLIENT_SECRET ?? env.SANDBOX_OPERATOR_SECRET;
  if (!command || (command === 'rebuild' && !argument) || !secret) {
    process.stderr.write(USAGE);
    return 2;
  }
  const client = new AdminClient({
    url: env.KOUZA_LINK_URL ?? 'http://localhost:3000',
    clientId: env.KOUZA_LINK_CLIENT_ID ?? 'sandbox-operator',
    clientSecret: secret,
  });
  switch (command) {
    case 'rebuild': {
      const interactive = process.stderr.isTTY === true;
      await rebuildProjection(client, argument as string, {
        progress: (line, final) =>
          process.stderr.write(interactive ? `\r\x1b[2K${line}${final ? '\n' : ''}` : `${line}\n`),
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      });
      return 0;
    }
    case 'projections': {
      const { projections } = await client.projections();
      for (const lag of projections) {
        process.stdout.write(
          `${lag.projection.padEnd(40)} ${String(lag.eventsBehind).padStart(8)} events behind  ${lag.oldestPendingSeconds.toFixed(1)}s\n`,
        );
      }
      return 0;
    }
    default:
      process.stderr.write(USAGE);
      return 2;
  }
}

if (require.main === module) {
  main(process.argv.slice(2), process.env).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}

import { writeFileSync } from 'node:fs';
import type { CliIo } from '../../apps/cli/src/cli-command';
import { main } from '../../apps/cli/src/main';

/**
 * Runs the CLI in this process as a user would from a shell that is not a terminal: what it prints is
 * captured, waits return at once, files are written for real.
 */
export async function runCli(
  argv: string[],
  env: Record<string, string | undefined>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    out: (text) => {
      stdout += text;
    },
    err: (text) => {
      stderr += text;
    },
    interactive: false,
    sleep: async () => undefined,
    writeFile: async (path, content) => writeFileSync(path, content),
    now: () => new Date(),
  };
  const code = await main(argv, env, io);
  return { code, stdout, stderr };
}

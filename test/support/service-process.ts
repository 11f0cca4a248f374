import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/**
 * Builds the service as `npm run build` does, into a folder of its own inside the repository (so the
 * built files find node_modules), and returns the api entry point. Removed with `remove()`.
 */
export function buildService(): { main: string; remove: () => void } {
  mkdirSync(join(ROOT, 'dist-test'), { recursive: true });
  const outDir = mkdtempSync(join(ROOT, 'dist-test', 'build-'));
  execFileSync(
    process.execPath,
    [
      join(ROOT, 'node_modules/@swc/cli/bin/swc.js'),
      'apps',
      'libs',
      '-d',
      outDir,
      '--config-file',
      '.swcrc',
      '--ignore',
      '**/*.spec.ts',
      '--ignore',
      '**/testing/**',
      '--quiet',
    ],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return {
    main: join(outDir, 'apps/api/src/main.js'),
    remove: () => rmSync(outDir, { recursive: true, force: true }),
  };
}

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });

/** The sandbox clients' secrets and a signing key that survive restarts, so tokens stay valid across them. */
export function sandboxEnvironment() {
  const { privateKey } = generateKeyPairSync('ed25519');
  return {
    SANDBOX: 'true',
    SANDBOX_APP_SECRET: randomBytes(24).toString('base64url'),
    SANDBOX_INVESTIGATOR_SECRET: randomBytes(24).toString('base64url'),
    SANDBOX_OPERATOR_SECRET: randomBytes(24).toString('base64url'),
    SANDBOX_BANK_WEBHOOK_SECRET: `whsec_${randomBytes(32).toString('base64')}`,
    JWT_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    SERVICE_MASTER_KEY: randomBytes(32).toString('base64'),
  };
}

/** One real service process (`node dist/apps/api/src/main.js`), started and killed as an operator would. */
export class ServiceProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  /** What the process wrote to stderr, for the test's message when something goes wrong. */
  stderr = '';

  constructor(
    private readonly main: string,
    private readonly env: Record<string, string>,
    readonly url: string,
  ) {}

  /** Starts the process and resolves once `/health/ready` answers 200. */
  async start(timeoutMs = 90_000): Promise<void> {
    const child = spawn(process.execPath, [this.main], {
      env: { PATH: process.env.PATH ?? '', ...this.env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.child = child;
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-20_000);
    });
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`the service exited with ${child.exitCode}: ${this.stderr}`);
      try {
        const response = await fetch(`${this.url}/health/ready`);
        if (response.status === 200) return;
      } catch {
        // Not listening yet.
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`the service was not ready within ${timeoutMs} ms: ${this.stderr}`);
  }

  /** SIGKILL: nothing of the process's own shutdown runs. */
  async kill(): Promise<void> {
    this.child?.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM, and waits for the graceful shutdown. */
  async stop(): Promise<void> {
    if (this.child && this.child.exitCode === null) this.child.kill('SIGTERM');
    await this.exited;
  }
}

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { transformSync } from '@swc/core';

/**
 * The defect the adapter keeps out (`unbatched-appends.ts`), shown on the raw client: in a process of its own,
 * since it ends the process. The fake server answers a batch append for a correlation id the client is not
 * waiting for, as a late answer would be; the adapter's side (it never opens that stream) is in the wire test.
 */

const ROOT = join(__dirname, '..', '..', '..', '..');

const DRIVER = `
const { FakeEventStoreDbServer } = require(process.argv[2]);
const { EventStoreDBClient, jsonEvent } = require('@eventstore/db-client');
(async () => {
  const server = await FakeEventStoreDbServer.start();
  const client = EventStoreDBClient.connectionString(server.connectionString('defaultDeadline=2000'));
  const append = client.appendToStream('link-1', [jsonEvent({ type: 'LinkRequested', data: { n: 1 } })]);
  const say = (line) => process.stdout.write(line + '\\n');
  append.then(() => say('settled'), (error) => say('rejected ' + error.name));
  setTimeout(() => {
    say('still running, append unsettled');
    process.exit(0);
  }, 3000);
})();
`;

describe('@eventstore/db-client 6.2.1 batch appends (the defect the adapter avoids)', () => {
  it('lets an answer the client no longer waits for end the whole process with a TypeError', () => {
    const directory = mkdtempSync(join(tmpdir(), 'esdb-defect-'));
    try {
      const source = readFileSync(join(__dirname, 'testing', 'fake-eventstoredb-server.ts'), 'utf8');
      const { code } = transformSync(source, {
        filename: 'fake-eventstoredb-server.ts',
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'commonjs' },
      });
      const server = join(directory, 'fake-eventstoredb-server.js');
      writeFileSync(server, code);
      const driver = join(directory, 'driver.js');
      writeFileSync(driver, DRIVER);

      const child = spawnSync(process.execPath, [driver, server], {
        env: { ...process.env, NODE_PATH: join(ROOT, 'node_modules') },
        encoding: 'utf8',
        timeout: 20_000,
      });

      expect(child.stdout).not.toContain('still running');
      expect(child.status).not.toBe(0);
      expect(child.stderr).toMatch(/TypeError: undefined is not iterable/);
      expect(child.stderr).toContain('batchAppend');
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

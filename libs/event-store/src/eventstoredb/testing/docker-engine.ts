import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where Docker engines usually listen; testcontainers looks in the same places. */
export function dockerEndpointCandidates(): string[] {
  const home = homedir();
  return [
    '/var/run/docker.sock',
    join(home, '.docker', 'run', 'docker.sock'),
    join(home, '.docker', 'desktop', 'docker.sock'),
    join(home, '.colima', 'default', 'docker.sock'),
    join(home, '.rd', 'docker.sock'),
    ...(process.env.XDG_RUNTIME_DIR ? [join(process.env.XDG_RUNTIME_DIR, 'docker.sock')] : []),
    join(home, '.testcontainers.properties'),
  ];
}

/** Whether an engine may be there (synchronously, for test registration); the engine itself is asked later. */
export function findDockerEndpoint(): string | undefined {
  return process.env.DOCKER_HOST ?? dockerEndpointCandidates().find((path) => existsSync(path));
}

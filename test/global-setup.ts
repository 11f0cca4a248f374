import { findDockerEndpoint } from '../libs/event-store/src/eventstoredb/testing/docker-engine';

/** Says once, at the top of every run, which suites this machine cannot run and why. */
export default function globalSetup(): void {
  if (!findDockerEndpoint()) {
    process.stderr.write(
      '\nNOTE: the EventStoreDB contract run is SKIPPED: no Docker engine answers on this machine ' +
        '(no DOCKER_HOST, no docker.sock). It runs through testcontainers wherever Docker is.\n\n',
    );
  }
}

/**
 * The EventStoreDB server the contract runs against is the one docker-compose.yml runs: one image, one set of
 * settings (test/docker-compose.spec.ts checks that the compose file says the same).
 */
export const EVENTSTOREDB_IMAGE = 'eventstore/eventstore:24.10';

export const EVENTSTOREDB_SERVER_SETTINGS: Readonly<Record<string, string>> = {
  EVENTSTORE_INSECURE: 'true',
  EVENTSTORE_CLUSTER_SIZE: '1',
  EVENTSTORE_RUN_PROJECTIONS: 'None',
  // 8 MiB: the service's events stay far below, but the contract stores a ~1.5 MB one and the default is 1 MiB.
  EVENTSTORE_MAX_APPEND_SIZE: String(8 * 1024 * 1024),
};

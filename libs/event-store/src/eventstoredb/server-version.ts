import type { EventStoreDBClient } from '@eventstore/db-client';

/** 23.10 is the first server that tells a subscription to $all it has caught up (and fell behind). */
export const MINIMUM_SERVER_VERSION = { major: 23, minor: 10 } as const;

/** The server's features as the client fetched them (a protected member in the client's types). */
interface ServerFeatures {
  serverVersion: string;
}

/** `24.10.0.1470` → { major: 24, minor: 10 }; undefined for `unknown` (a server without the features call). */
export function parseServerVersion(version: string): { major: number; minor: number } | undefined {
  const match = /^(\d+)\.(\d+)/.exec(version.trim());
  if (!match) return undefined;
  return { major: Number(match[1]), minor: Number(match[2]) };
}

export function isSupportedServerVersion(version: string): boolean {
  const parsed = parseServerVersion(version);
  if (!parsed) return false;
  return (
    parsed.major > MINIMUM_SERVER_VERSION.major ||
    (parsed.major === MINIMUM_SERVER_VERSION.major && parsed.minor >= MINIMUM_SERVER_VERSION.minor)
  );
}

/** Asks the server for its version (one ServerFeatures call) and refuses one older than 23.10. */
export async function checkServerVersion(client: EventStoreDBClient): Promise<string> {
  const features = (client as unknown as { capabilities: Promise<ServerFeatures> }).capabilities;
  const { serverVersion } = await features;
  if (!isSupportedServerVersion(serverVersion)) {
    const { major, minor } = MINIMUM_SERVER_VERSION;
    throw new Error(
      `EventStoreDB server version ${serverVersion} is not supported: the event store needs ${major}.${minor} or later ` +
        '(it relies on caught-up signals on subscriptions to $all)',
    );
  }
  return serverVersion;
}

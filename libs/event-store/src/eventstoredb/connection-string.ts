import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';

/** Milliseconds; a dead connection is noticed within interval + timeout, so a subscription can resubscribe. */
const KEEP_ALIVE_MS = 10_000;

/** The client's own default deadline for a call (`defaultDeadline`), which the adapter also gives its reads. */
const CLIENT_DEFAULT_DEADLINE_MS = 10_000;

/** The schemes `@eventstore/db-client` 6.2.1 parses; `kurrentdb://` needs `@kurrent/kurrentdb-client`. */
const SCHEME = /^(esdb|esdb\+discover):\/\//i;

/** The client matches setting names ignoring case, `-` and `_`; so does this. */
const flat = (name: string) => name.trim().toLowerCase().replace(/[_-]/g, '');

function settingsOf(connectionString: string): Map<string, string> {
  const query = connectionString.split('?')[1] ?? '';
  const settings = new Map<string, string>();
  for (const pair of query.split('&')) {
    const [name = '', value = ''] = pair.split('=');
    if (name.trim() !== '') settings.set(flat(name), decoded(value.trim()));
  }
  return settings;
}

/** Names the scheme given, never the rest: the string may hold a password. */
function schemeOf(connectionString: string): string {
  const scheme = /^\s*([a-z][a-z0-9+.-]*):\/\//i.exec(connectionString)?.[1];
  return scheme ? `it starts ${scheme}://` : 'it names no scheme';
}

function decoded(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** The connection string with its password replaced, for error messages and logs. */
export function redactedConnectionString(connectionString: string): string {
  return connectionString.replace(/^([^:]+:\/\/[^:@/]+):[^@/]*@/, '$1:***@');
}

/**
 * The connection string the adapter hands the client, after refusing what the client would misread: a scheme
 * it does not parse, append failures not thrown (the adapter reads the conflict's actual revision from the
 * error), a `tlsCAFile` that is not there. Keep-alive is turned on unless set: without pings a half-open
 * connection leaves a subscription waiting for events that never come. Credentials (`user:password@`), TLS
 * settings and several gossip seeds (`esdb://a:2113,b:2113,c:2113`) pass through to the client as they are.
 */
export function adapterConnectionString(connectionString: string): string {
  if (!SCHEME.test(connectionString.trim())) {
    throw new Error(
      `The EventStoreDB connection string must start with esdb:// or esdb+discover:// (${schemeOf(connectionString)}): ` +
        '@eventstore/db-client 6.2.1 parses no other scheme',
    );
  }
  const settings = settingsOf(connectionString);
  if (settings.get('throwonappendfailure')?.toLowerCase() === 'false') {
    throw new Error('The EventStoreDB event store needs throwOnAppendFailure=true (the default)');
  }
  const caFile = settings.get('tlscafile');
  const insecure = settings.get('tls')?.toLowerCase() === 'false';
  if (caFile && !insecure) {
    const path = isAbsolute(caFile) ? caFile : resolve(process.cwd(), caFile);
    if (!existsSync(path)) {
      throw new Error(`The EventStoreDB connection string names tlsCAFile=${caFile}, but there is no file at ${path}`);
    }
  }
  const missing = ['keepAliveInterval', 'keepAliveTimeout']
    .filter((name) => !settings.has(flat(name)))
    .map((name) => `${name}=${KEEP_ALIVE_MS}`);
  if (missing.length === 0) return connectionString;
  const separator = !connectionString.includes('?') ? '?' : /[?&]$/.test(connectionString) ? '' : '&';
  return `${connectionString}${separator}${missing.join('&')}`;
}

/** The deadline the client gives each call (`defaultDeadline`, 10 s unless set); the adapter's reads use it too. */
export function callDeadlineMs(connectionString: string): number {
  const value = Number(settingsOf(connectionString).get('defaultdeadline'));
  return Number.isFinite(value) && value > 0 ? value : CLIENT_DEFAULT_DEADLINE_MS;
}

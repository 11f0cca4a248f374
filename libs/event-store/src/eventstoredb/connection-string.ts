/** Milliseconds; a dead connection is noticed within interval + timeout, so a subscription can resubscribe. */
const KEEP_ALIVE_MS = 10_000;

/** The client matches setting names ignoring case, `-` and `_`; so does this. */
const flat = (name: string) => name.trim().toLowerCase().replace(/[_-]/g, '');

function settingsOf(connectionString: string): Map<string, string> {
  const query = connectionString.split('?')[1] ?? '';
  const settings = new Map<string, string>();
  for (const pair of query.split('&')) {
    const [name = '', value = ''] = pair.split('=');
    if (name.trim() !== '') settings.set(flat(name), value.trim().toLowerCase());
  }
  return settings;
}

/**
 * The connection string the adapter hands the client: keep-alive on unless set (without pings a half-open
 * connection leaves a subscription waiting for events that never come), and append failures thrown, since
 * the adapter reads the conflict's actual revision from the error.
 */
export function adapterConnectionString(connectionString: string): string {
  const settings = settingsOf(connectionString);
  if (settings.get('throwonappendfailure') === 'false') {
    throw new Error('The EventStoreDB event store needs throwOnAppendFailure=true (the default)');
  }
  const missing = ['keepAliveInterval', 'keepAliveTimeout']
    .filter((name) => !settings.has(flat(name)))
    .map((name) => `${name}=${KEEP_ALIVE_MS}`);
  if (missing.length === 0) return connectionString;
  const separator = !connectionString.includes('?') ? '?' : /[?&]$/.test(connectionString) ? '' : '&';
  return `${connectionString}${separator}${missing.join('&')}`;
}

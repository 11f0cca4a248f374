/** Milliseconds; a dead connection is noticed within interval + timeout, so a subscription can resubscribe. */
const KEEP_ALIVE_MS = 10_000;

/**
 * Turns keep-alive on unless the connection string sets it: without pings a half-open connection leaves a
 * subscription waiting for events that never come.
 */
export function withKeepAlive(connectionString: string): string {
  const query = connectionString.split('?')[1] ?? '';
  const keys = new Set(
    query
      .split('&')
      .map((pair) => (pair.split('=')[0] ?? '').trim().toLowerCase().replace(/[_-]/g, ''))
      .filter((key) => key !== ''),
  );
  const missing = [
    ['keepAliveInterval', 'keepaliveinterval'],
    ['keepAliveTimeout', 'keepalivetimeout'],
  ]
    .filter(([, flat]) => !keys.has(flat as string))
    .map(([name]) => `${name}=${KEEP_ALIVE_MS}`);
  if (missing.length === 0) return connectionString;
  const separator = connectionString.includes('?') ? (query === '' ? '' : '&') : '?';
  return `${connectionString}${separator}${missing.join('&')}`;
}

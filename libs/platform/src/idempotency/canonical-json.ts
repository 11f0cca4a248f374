/**
 * JSON with object keys sorted at every depth, so two bodies that differ only in key order encode alike.
 * Follows `JSON.stringify` for everything else (undefined members dropped, `toJSON` honoured).
 */
export function canonicalJson(value: unknown): string {
  const plain = hasToJson(value) ? value.toJSON() : value;
  if (plain === null || typeof plain !== 'object') return JSON.stringify(plain) ?? 'null';
  if (Array.isArray(plain)) return `[${plain.map((item) => canonicalJson(item)).join(',')}]`;
  const record = plain as Record<string, unknown>;
  const members = Object.keys(record)
    .sort()
    .filter((name) => isJsonMember(record[name]))
    .map((name) => `${JSON.stringify(name)}:${canonicalJson(record[name])}`);
  return `{${members.join(',')}}`;
}

function isJsonMember(value: unknown): boolean {
  return value !== undefined && typeof value !== 'function' && typeof value !== 'symbol';
}

function hasToJson(value: unknown): value is { toJSON(): unknown } {
  return typeof value === 'object' && value !== null && typeof (value as { toJSON?: unknown }).toJSON === 'function';
}

/**
 * Which statements the SQL clients prepare (parsed and planned once per connection, then only bound and run):
 * the data statements, by their text. Schema changes and other utility statements are sent unnamed, as before.
 */
const PREPARABLE = /^\s*(SELECT|INSERT|UPDATE|DELETE|WITH|VALUES)\b/i;
/** A statement that can change what a prepared statement's text means (its tables' columns, which table a name is). */
const SCHEMA_CHANGE = /^\s*(ALTER|CREATE|DROP)\b/i;

export function isPreparable(text: string): boolean {
  return PREPARABLE.test(text);
}

export function isSchemaChange(text: string): boolean {
  return SCHEMA_CHANGE.test(text);
}

/**
 * SQLSTATEs after which a prepared statement's name is not used again: a parse that failed (class 42: syntax, an
 * unknown table, column or function; 3F000, an unknown schema) may leave the driver believing the name prepared
 * on its connection; 0A000, the statement's result columns changed under it (DDL since it was prepared); 26000,
 * no such prepared statement on the connection.
 */
export function spoilsPreparedName(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return (
    typeof code === 'string' && (code.startsWith('42') || code === '3F000' || code === '0A000' || code === '26000')
  );
}

/** What a statement whose name was spoiled by `error` may do: be sent again at once (outside a transaction). */
export function canResendAfter(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return code === '0A000' || code === '26000';
}

/**
 * Statement texts and their names (`kouza_1`, …) for a driver that prepares a named statement on each connection
 * the first time it is sent there (`pg`). At most `limit` texts get a name; texts beyond it are sent unnamed (a
 * service sends a few hundred texts, but some carry table names of their own, as a rebuild's shadow tables).
 */
export class PreparedStatementNames {
  private readonly names = new Map<string, string>();
  private issued = 0;

  constructor(private readonly limit = 2_000) {}

  nameOf(text: string): string | undefined {
    if (!isPreparable(text)) return undefined;
    const known = this.names.get(text);
    if (known !== undefined) return known;
    if (this.names.size >= this.limit) return undefined;
    const name = `kouza_${++this.issued}`;
    this.names.set(text, name);
    return name;
  }

  /** The text gets a new name next time (on every connection: the old one may be unusable on some). */
  renew(text: string): void {
    this.names.delete(text);
  }
}

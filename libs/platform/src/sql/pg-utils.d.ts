/** The `pg` driver's own parameter serialisation (`pg/lib/utils`, exported by the package), untyped upstream. */
declare module 'pg/lib/utils' {
  /** A query parameter as `pg` sends it: null, a Buffer (sent binary) or the text form (arrays as array literals, objects as JSON). */
  export function prepareValue(value: unknown): string | Buffer | null;
}

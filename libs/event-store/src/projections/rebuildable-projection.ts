import type { Projection } from './projection';

/**
 * A projection whose read model can be rebuilt beside the live one (blue/green): the same projection can
 * write into tables of another name, which a rebuild fills from zero and then swaps in.
 */
export interface RebuildableProjection extends Projection {
  /**
   * The tables it writes, in the order `apply` first writes them: the swap locks them in this order, so a
   * live batch and a swap never wait on each other crosswise. Index names start with their table's name.
   */
  readonly tables: readonly string[];
  /** The same projection (same name and filter) writing into `${table}${suffix}` for each of its tables. */
  withTableSuffix(suffix: string): RebuildableProjection;
}

export function isRebuildable(projection: Projection): projection is RebuildableProjection {
  const candidate = projection as Partial<RebuildableProjection>;
  return Array.isArray(candidate.tables) && typeof candidate.withTableSuffix === 'function';
}

/** Read-model table names go into SQL text: only plain lower-case identifiers are accepted. */
export function assertTableName(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`Not a read-model table name: ${name}`);
  return name;
}

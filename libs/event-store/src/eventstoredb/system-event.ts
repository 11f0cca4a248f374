/** EventStoreDB's own records ($metadata, $statsCollected, links `$>`, …): never part of the service's history. */
export function isSystemEventType(type: string): boolean {
  return type.startsWith('$');
}

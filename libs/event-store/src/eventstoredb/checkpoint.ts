import type { Checkpoint } from '../event-store.port';

/** A record's place in the EventStoreDB transaction log, as the client reports it. */
export interface LogPosition {
  commit: bigint;
  prepare: bigint;
}

/** Both positions are unsigned 64-bit integers on the server: at most 20 decimal digits. */
const WIDTH = 20;
const CHECKPOINT = /^(\d{20}):(\d{20})$/;

function pad(value: bigint, name: string): string {
  const digits = value.toString(10);
  if (value < 0n || digits.length > WIDTH) throw new RangeError(`${name} position out of range: ${digits}`);
  return digits.padStart(WIDTH, '0');
}

/** (commit, prepare) as a fixed-width string, so that checkpoints of this store compare with `<` / `>`. */
export function toCheckpoint({ commit, prepare }: LogPosition): Checkpoint {
  return `${pad(commit, 'commit')}:${pad(prepare, 'prepare')}`;
}

export function fromCheckpoint(checkpoint: Checkpoint): LogPosition {
  const match = CHECKPOINT.exec(checkpoint);
  if (!match) throw new Error(`Not an EventStoreDB event store checkpoint: ${checkpoint}`);
  return { commit: BigInt(match[1] as string), prepare: BigInt(match[2] as string) };
}

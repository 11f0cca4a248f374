import type { Checkpoint } from '../event-store.port';

const WIDTH = 20;

/** (transaction id, global position) as a fixed-width string, so checkpoints compare as strings. */
export function toCheckpoint(transactionId: string | bigint, globalPosition: string | bigint | number): Checkpoint {
  return `${String(transactionId).padStart(WIDTH, '0')}:${String(globalPosition).padStart(WIDTH, '0')}`;
}

export function fromCheckpoint(checkpoint: Checkpoint | undefined): { transactionId: string; globalPosition: string } {
  if (checkpoint === undefined) return { transactionId: '0', globalPosition: '0' };
  const match = /^(\d{20}):(\d{20})$/.exec(checkpoint);
  if (!match) throw new Error(`Not a PostgreSQL event store checkpoint: ${checkpoint}`);
  return {
    transactionId: BigInt(match[1] as string).toString(),
    globalPosition: BigInt(match[2] as string).toString(),
  };
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** A signed digest of the whole log (README "Log digest"). */
export class LogDigestResponseDto {
  @ApiProperty({ example: 'ldg_3', description: '`ldg_{sequence}`' })
  id!: string;

  @ApiProperty({ example: 3, description: '1, 2, 3, … with no gap: digest n is revision n − 1 of `log-digests`' })
  sequence!: number;

  @ApiProperty({
    pattern: '^[0-9a-f]{64}$',
    description:
      'The accumulator: acc = hex(SHA-256(acc + "." + metadata.hash)) from 64 zeros over every event of the log ' +
      'in read-all order up to `upToCheckpoint`, except those of `log-digests` (an event without a hash counts as "")',
  })
  digest!: string;

  @ApiProperty({ type: String, nullable: true, example: 'ldg_2' })
  previousDigestId!: string | null;

  @ApiProperty({ description: 'Events covered since the start of the log' })
  eventCount!: number;

  @ApiProperty({
    example: '00000000000000000755:00000000000000001234',
    description: 'The checkpoint of the last covered event (PostgreSQL: `<transaction id>:<global position>`)',
  })
  upToCheckpoint!: string;

  @ApiProperty({ description: 'The global position of the last covered event' })
  upToPosition!: number;

  @ApiProperty({ format: 'date-time' })
  recordedAt!: string;

  @ApiProperty({
    description:
      'Compact JWS (`typ` `kouza-link-log-digest+jws`, EdDSA or ES256, key in /.well-known/jwks.json) whose payload ' +
      'is the RFC 8785 text of the other fields',
  })
  signature!: string;
}

export class LogDigestPageResponseDto {
  @ApiProperty({ type: [LogDigestResponseDto], description: 'Newest first' })
  items!: LogDigestResponseDto[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass back as `cursor` for the older digests' })
  nextCursor!: string | null;
}

class RecordedFiguresDto {
  @ApiProperty()
  digest!: string;

  @ApiProperty()
  eventCount!: number;

  @ApiProperty()
  upToPosition!: number;
}

class RecomputedFiguresDto {
  @ApiProperty()
  digest!: string;

  @ApiProperty()
  eventCount!: number;

  @ApiProperty({ type: Number, nullable: true })
  upToPosition!: number | null;
}

class AlteredEventDto {
  @ApiProperty()
  streamName!: string;

  @ApiProperty()
  revision!: number;

  @ApiProperty()
  id!: string;

  @ApiProperty()
  type!: string;

  @ApiProperty()
  globalPosition!: number;
}

export class LogDigestMismatchDto {
  @ApiProperty({ example: 'ldg_2' })
  digestId!: string;

  @ApiProperty()
  sequence!: number;

  @ApiProperty({
    enum: [
      'sequence_broken',
      'signature_invalid',
      'event_hash_mismatch',
      'digest_mismatch',
      'event_count_mismatch',
      'position_mismatch',
    ],
  })
  reason!: string;

  @ApiProperty()
  detail!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    description: "The digest's range starts after this checkpoint (the previous digest's; null: the start)",
  })
  afterCheckpoint!: string | null;

  @ApiProperty()
  upToCheckpoint!: string;

  @ApiProperty({ type: RecordedFiguresDto })
  recorded!: RecordedFiguresDto;

  @ApiPropertyOptional({ type: RecomputedFiguresDto, description: 'What the log gives now at that checkpoint' })
  recomputed?: RecomputedFiguresDto;

  @ApiPropertyOptional({
    type: AlteredEventDto,
    description: 'The first event of the range whose content no longer gives its stored hash',
  })
  event?: AlteredEventDto;
}

export class LogVerificationResponseDto {
  @ApiProperty({ description: 'Every recorded digest holds against the log as it is now' })
  verified!: boolean;

  @ApiProperty({ description: 'Digests that held, in order, before the first mismatch (all of them when verified)' })
  digestsChecked!: number;

  @ApiProperty({ description: 'Covered events recomputed' })
  eventsChecked!: number;

  @ApiProperty({
    type: [String],
    description:
      'Digests signed by a key the service no longer has (a key generated at an earlier start): their fields held, ' +
      'their signature could not be checked',
  })
  signaturesUnchecked!: string[];

  @ApiPropertyOptional({ type: LogDigestMismatchDto })
  firstMismatch?: LogDigestMismatchDto;
}

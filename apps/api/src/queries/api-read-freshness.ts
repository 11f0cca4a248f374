import { ApiHeader } from '@nestjs/swagger';
import { MIN_CHECKPOINT_HEADER } from './read-freshness';

/** Read endpoints answer from read models: how fresh, and how to ask for fresher. */
export const ApiReadFreshness = () =>
  ApiHeader({
    name: MIN_CHECKPOINT_HEADER,
    required: false,
    description:
      'Answer from read models at least this far: an `X-Checkpoint` this service returned (e.g. on a POST). ' +
      'The service waits up to 2 seconds for it, then answers with what it has; the answer carries the ' +
      'checkpoint it reflects in `X-Checkpoint`.',
    schema: { type: 'string', pattern: '^\\d{20}:\\d{20}$' },
  });

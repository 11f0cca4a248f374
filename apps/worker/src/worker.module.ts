import { Module } from '@nestjs/common';
import { ProjectionHost } from './projection-host';

/** The worker role: projections (and, later, process managers) that follow the event log. */
@Module({ providers: [ProjectionHost] })
export class WorkerModule {}

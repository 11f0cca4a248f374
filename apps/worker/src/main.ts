import { bootstrap } from '../../api/src/main';

// The worker is the same service with only the worker role: projections and process managers, plus health.
void bootstrap('worker');

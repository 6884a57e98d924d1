import type { JsonRequest, JsonResponse } from '../lib/http.ts';
import type { Log } from '../lib/log.ts';
import type { BatchJobs } from './batch.ts';
import type { Hsm } from './hsm.ts';
import type { Monitor } from './monitor.ts';
import type { WorkerPool } from './workers.ts';

/** The operator's paths, POST /control/*, which relay-ctl.ts calls. */
export interface ControlDeps {
  pool: WorkerPool;
  hsm: Hsm;
  monitor: Monitor;
  batches: BatchJobs;
  log: Log;
}

const notFound: JsonResponse = { status: 404, body: { error: 'not-found' } };
const bad = (reason: string): JsonResponse => ({ status: 400, body: { error: 'bad-request', reason } });

export function controlHandler(deps: ControlDeps): (request: JsonRequest) => Promise<JsonResponse> {
  const { pool, hsm, monitor, batches, log } = deps;
  return async ({ path, body }) => {
    switch (path) {
      case '/control/poll':
        return { status: 200, body: { polled: await monitor.pollNow() } };
      case '/control/status':
        return { status: 200, body: { active: pool.active, boards: hsm.status() } };
      case '/control/batch-start': {
        const { batchId, municipality, records } = body;
        if (typeof batchId !== 'string' || !batchId) return bad('batchId');
        if (typeof municipality !== 'string' || !municipality) return bad('municipality');
        if (typeof records !== 'number' || !Number.isInteger(records) || records < 1) return bad('records');
        if (!batches.start(batchId, municipality, records)) return { status: 409, body: { error: 'exists', reason: 'batch-id-in-use' } };
        log.line('control', 'batch-start', { batchId, municipality, records });
        return { status: 200, body: { batchId } };
      }
      case '/control/batch-status': {
        const status = typeof body.batchId === 'string' ? batches.status(body.batchId) : undefined;
        return status ? { status: 200, body: status } : notFound;
      }
      default:
        return notFound;
    }
  };
}

import type http from 'node:http';
import type { Env } from '../lib/env.ts';
import { closeServer, jsonServer, type JsonRequest, type JsonResponse } from '../lib/http.ts';
import type { Log } from '../lib/log.ts';
import { JobRunner } from './jobs.ts';
import { JobStore } from './store.ts';

const NOT_FOUND: JsonResponse = { status: 404, body: { error: 'unknown-job' } };

export interface Scheduler {
  server: http.Server;
  /** Resolves once every job it started has ended (a test's stop). */
  close(): Promise<void>;
}

/**
 * The job scheduler (CONTRACT.md 2.5), another vendor's: it takes revocation jobs, sends each to
 * the authority's reception server, records what it understood of the answer, and marks the
 * revoked certificates on the card server.
 */
export function createScheduler(options: { env: Env; log: Log; dataDir: string; ca: string; cardServer: string }): Scheduler {
  const { env, log } = options;
  const store = new JobStore(options.dataDir);
  const runner = new JobRunner(store, log, {
    ca: options.ca,
    cardServer: options.cardServer,
    caTimeoutMs: env.scaledMs('SCHEDULER_CA_TIMEOUT_MS', 30_000),
    retryMs: env.scaledMs('SCHEDULER_RETRY_MS', 5000),
    attempts: env.number('SCHEDULER_ATTEMPTS', 3),
    resultsUnderstood: env.behaviour.jobResultsUnderstood,
  });
  const running = new Set<Promise<void>>();

  const route = (request: JsonRequest): JsonResponse => {
    if (request.method === 'POST' && request.path === '/jobs') {
      const { jobId, kind, serials } = request.body;
      if (typeof jobId !== 'string' || jobId === '' || kind !== 'revocation' || !Array.isArray(serials)) {
        return { status: 400, body: { error: 'bad-request', expected: '{jobId, kind: "revocation", serials: [...]}' } };
      }
      if (store.get(jobId)) return { status: 409, body: { error: 'duplicate-job', jobId } };
      log.line('business', 'job-accepted', { jobId, serials: serials.length }, jobId);
      const job = runner.run(jobId, serials.map(String)).catch((error: Error) => log.line('error', 'job-crashed', { jobId, message: error.message }, jobId));
      running.add(job);
      void job.finally(() => running.delete(job));
      return { status: 202, body: { jobId, state: 'running' } };
    }
    if (request.method !== 'GET') return NOT_FOUND;
    if (request.path === '/health') return { status: 200, body: { status: 'ok', running: running.size } };
    const job = /^\/jobs\/([^/]+)$/.exec(request.path);
    if (job) {
      const record = store.get(decodeURIComponent(job[1] ?? ''));
      return record ? { status: 200, body: record } : NOT_FOUND;
    }
    return NOT_FOUND;
  };

  const server = jsonServer(route);
  return {
    server,
    close: () => closeServer(server, () => store.close()),
  };
}

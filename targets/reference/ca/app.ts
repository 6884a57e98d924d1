import type http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Env } from '../lib/env.ts';
import { closeServer, jsonServer, type JsonRequest, type JsonResponse } from '../lib/http.ts';
import type { Log } from '../lib/log.ts';
import { CaStore, type RevocationRecord } from './store.ts';

/** A certificate serial as the card system issues them (S and 10 digits). Anything else is a record it refuses. */
const SERIAL = /^S\d{10}$/;
const NOT_FOUND: JsonResponse = { status: 404, body: { error: 'unknown-job' } };

export interface CaServer {
  server: http.Server;
  close(): Promise<void>;
}

/**
 * The certificate authority's reception server (CONTRACT.md 2.5), one vendor's: it takes one
 * revocation job at a time and answers, in its own words, what became of it: `done`, `partial`
 * (some records refused), `fatal` (every record refused) or `retry` (busy with another job:
 * nothing done, send it again). It answers only once the job has ended, however long that takes.
 */
export function createCaServer(options: { env: Env; log: Log; dataDir: string }): CaServer {
  const { env, log } = options;
  const store = new CaStore(options.dataDir);
  const revokeMs = env.scaledMs('CA_REVOKE_MS', 500);
  let running: string | undefined;

  const revoke = async (jobId: string, serials: readonly string[]): Promise<RevocationRecord> => {
    const record: RevocationRecord = { jobId, state: 'running', revoked: [], refused: [] };
    store.save(record);
    for (const serial of serials) {
      if (!SERIAL.test(serial)) {
        record.refused.push({ serial, reason: 'malformed-serial' });
        log.line('error', 'revocation-refused', { jobId, serial }, jobId);
        continue;
      }
      await sleep(revokeMs);
      record.revoked.push(serial);
      store.revoke(serial, record);
    }
    record.state = record.refused.length === 0 ? 'done' : record.revoked.length === 0 ? 'fatal' : 'partial';
    store.save(record);
    log.line('business', 'revocation', { jobId, result: record.state, revoked: record.revoked.length, refused: record.refused.length }, jobId);
    return record;
  };

  const route = async (request: JsonRequest): Promise<JsonResponse> => {
    if (request.method === 'POST' && request.path === '/revocations') {
      const { jobId, serials } = request.body;
      if (typeof jobId !== 'string' || !Array.isArray(serials)) return { status: 400, body: { error: 'bad-request' } };
      if (running !== undefined) {
        log.line('control', 'revocation-busy', { jobId, running }, jobId);
        return { status: 200, body: { jobId, result: 'retry', revoked: [], refused: [] } };
      }
      running = jobId;
      try {
        const record = await revoke(jobId, serials.map(String));
        return { status: 200, body: { jobId, result: record.state, revoked: record.revoked, refused: record.refused } };
      } finally {
        running = undefined;
      }
    }
    if (request.method !== 'GET') return NOT_FOUND;
    if (request.path === '/health') return { status: 200, body: { status: 'ok', running: running ?? null } };
    const job = /^\/revocations\/([^/]+)$/.exec(request.path);
    if (job) {
      const record = store.job(decodeURIComponent(job[1] ?? ''));
      return record ? { status: 200, body: record } : NOT_FOUND;
    }
    const certificate = /^\/certificates\/([^/]+)$/.exec(request.path);
    if (certificate) return { status: 200, body: store.certificate(decodeURIComponent(certificate[1] ?? '')) };
    return NOT_FOUND;
  };

  const server = jsonServer(route);
  return {
    server,
    close: () => closeServer(server, () => store.close()),
  };
}

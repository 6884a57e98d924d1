import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { getJson, postJson } from '../lib/http.ts';
import type { Log } from '../lib/log.ts';
import type { JobRecord, JobStore } from './store.ts';

export interface JobSettings {
  /** The authority's reception server, host:port. */
  ca: string;
  /** The card server the revoked certificates are marked on, host:port. */
  cardServer: string;
  /** How long the scheduler waits for the authority's answer, ms as this run lives it. */
  caTimeoutMs: number;
  /** Rest before a job is sent again after `retry` or no answer. */
  retryMs: number;
  attempts: number;
  /**
   * F11, fixed 2016-09: the authority's answers read as it means them. Before, `partial` read as
   * done (every serial held revoked), and no answer in time as failed, never asked again.
   */
  resultsUnderstood: boolean;
}

type Outcome = Pick<JobRecord, 'state' | 'revoked' | 'note'>;

/** The authority's answer as this build understands it; undefined: send the job again. */
function read(answer: Record<string, unknown>, serials: readonly string[], understood: boolean): Outcome | undefined {
  const revoked = Array.isArray(answer.revoked) ? answer.revoked.map(String) : [];
  switch (answer.result) {
    case 'done':
      return { state: 'completed', revoked, note: 'done' };
    case 'partial':
      return understood ? { state: 'partial', revoked, note: 'partial' } : { state: 'completed', revoked: [...serials], note: 'partial' };
    case 'fatal':
      return { state: 'failed', revoked: [], note: 'fatal' };
    case 'retry':
      return undefined;
    default:
      return { state: 'failed', revoked: [], note: `unreadable answer ${JSON.stringify(answer).slice(0, 80)}` };
  }
}

/**
 * Runs revocation jobs against the authority, one attempt after another, and records each job's
 * end; then marks what it holds revoked on the card server.
 */
export class JobRunner {
  readonly #store: JobStore;
  readonly #log: Log;
  readonly #settings: JobSettings;
  readonly #agent = new http.Agent({ keepAlive: false });

  constructor(store: JobStore, log: Log, settings: JobSettings) {
    this.#store = store;
    this.#log = log;
    this.#settings = settings;
  }

  async run(jobId: string, serials: readonly string[]): Promise<void> {
    const record: JobRecord = { jobId, state: 'running', serials: [...serials], revoked: [], attempts: 0, note: '' };
    this.#store.save(record);
    const end = await this.#attempts(record);
    Object.assign(record, end);
    this.#store.save(record);
    this.#log.line('business', 'job-ended', { jobId, state: record.state, revoked: record.revoked.length, attempts: record.attempts, note: record.note }, jobId);
    if (record.revoked.length > 0) await this.#mark(jobId, record.revoked);
  }

  async #attempts(record: JobRecord): Promise<Outcome> {
    const { ca, caTimeoutMs, retryMs, attempts, resultsUnderstood } = this.#settings;
    let last = 'no attempt';
    while (record.attempts < attempts) {
      record.attempts += 1;
      this.#store.save(record);
      try {
        const answer = await postJson(this.#agent, ca, '/revocations', { jobId: record.jobId, serials: record.serials }, caTimeoutMs);
        const outcome = read(answer.body, record.serials, resultsUnderstood);
        if (outcome) return outcome;
        last = 'retry';
      } catch (error) {
        last = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
        this.#log.line('error', 'ca-unanswered', { jobId: record.jobId, attempt: record.attempts, code: last }, record.jobId);
        if (!resultsUnderstood) return { state: 'failed', revoked: [], note: last };
        const known = await this.#ask(record);
        if (known) return known;
      }
      await sleep(retryMs);
    }
    return { state: 'failed', revoked: [], note: `gave up after ${record.attempts} attempts (${last})` };
  }

  /** What the authority itself recorded of the job (fixed): wait while it still runs it; undefined if it never got it. */
  async #ask(record: JobRecord): Promise<Outcome | undefined> {
    const { ca, caTimeoutMs, retryMs } = this.#settings;
    for (let look = 0; look < this.#settings.attempts * 10; look++) {
      const answer = await getJson(this.#agent, ca, `/revocations/${encodeURIComponent(record.jobId)}`, caTimeoutMs).catch(() => undefined);
      if (answer?.status === 404) return undefined;
      const state = answer?.body.state;
      if (state !== undefined && state !== 'running') {
        const revoked = Array.isArray(answer?.body.revoked) ? (answer.body.revoked as unknown[]).map(String) : [];
        const whole = revoked.length === record.serials.length;
        return { state: whole ? 'completed' : revoked.length > 0 ? 'partial' : 'failed', revoked, note: `asked: ${String(state)}` };
      }
      await sleep(retryMs);
    }
    return undefined;
  }

  /** The certificates marked revoked on the cards that hold them (one message, CONTRACT.md 2.3). */
  async #mark(jobId: string, serials: readonly string[]): Promise<void> {
    const message = { requestId: `${jobId}:mark`, municipality: 'pki', op: 'revoke-certificates', payload: { serials } };
    const answer = await postJson(this.#agent, this.#settings.cardServer, '/message', message, this.#settings.caTimeoutMs * 10).catch((error: Error) => ({ status: 0, body: { error: error.message } }));
    if (answer.status !== 200) this.#log.line('error', 'mark-failed', { jobId, status: answer.status }, jobId);
  }
}

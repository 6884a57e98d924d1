import type { HarnessClient, Operation, Recorded, Reply, Rng, StartedTopology, SystemView } from '../../harness/fault-api.ts';
import { reconcile } from './checkers/reconciliation.ts';
import { wait } from './wait.ts';

/**
 * The public-key side as an operator and an auditor see it (CONTRACT.md 2.5): revocation jobs
 * submitted to the job scheduler and its record of each read back, and the certificate
 * authority's own record of each certificate. Every call lands in the history; the readers below
 * take the last answer of each.
 */
export type Pki = NonNullable<SystemView['pki']>;

export interface PkiCalls {
  submit(jobId: string, serials: readonly string[], signal: AbortSignal): Promise<Reply>;
  /** The scheduler's record of a job (`GET /jobs/:jobId`). */
  job(jobId: string, signal: AbortSignal): Promise<Reply>;
  /** The authority's record of a certificate (`GET /certificates/:serial`). */
  certificate(serial: string, signal: AbortSignal): Promise<Reply>;
  /** Reads the job's record until it has ended (CONTRACT.md 2.5: `running` until then), at most `ms`. */
  settle(jobId: string, ms: number, signal: AbortSignal): Promise<void>;
}

/** A job record is read this often until the job has ended. */
const POLL_MS = 150;

export function pkiCalls(client: HarnessClient, topology: StartedTopology, pki: Pki): PkiCalls {
  const scheduler = () => topology.entry(pki.schedulerLink);
  const authority = () => topology.entry(pki.caLink);
  const calls: PkiCalls = {
    submit: (jobId, serials, signal) =>
      client.send({ op: 'submit-job', target: pki.scheduler, endpoint: scheduler, path: '/jobs', body: { jobId, kind: 'revocation', serials }, data: { role: 'job', jobId, serials: [...serials] } }, signal),
    job: (jobId, signal) =>
      client.send({ op: 'job-record', target: pki.scheduler, endpoint: scheduler, method: 'GET', path: `/jobs/${encodeURIComponent(jobId)}`, data: { role: 'record', jobId }, keep: ['state', 'revoked'] }, signal),
    certificate: (serial, signal) =>
      client.send({ op: 'certificate', target: pki.ca, endpoint: authority, method: 'GET', path: `/certificates/${encodeURIComponent(serial)}`, data: { role: 'authority', serial }, keep: ['revoked'] }, signal),
    async settle(jobId, ms, signal) {
      const until = performance.now() + ms;
      while (!signal.aborted && performance.now() < until) {
        const { body } = await calls.job(jobId, signal);
        if (body && !/"state"\s*:\s*"running"/.test(body)) return;
        await wait(POLL_MS, signal);
      }
    },
  };
  return calls;
}

/** Serials as the card system issues them (S and 10 digits), seeded and distinct within a run. */
export function serialMaker(rng: Rng): (count: number) => string[] {
  let next = rng.int(1, 9_000_000_000);
  return (count) => Array.from({ length: count }, () => `S${String(next++).padStart(10, '0')}`);
}

export interface SubmittedJob {
  jobId: string;
  serials: string[];
  /** What the run did to bring the outcome about (the note's `how`). */
  how: string;
  submittedAtMs: number;
}

/** The jobs the history shows submitted and accepted. */
export function submittedJobs(history: Recorded): SubmittedJob[] {
  const hows = new Map(history.notes.filter((note) => note.name === 'job').map((note) => [String(note.data?.['jobId']), String(note.data?.['how'])]));
  return history.requests
    .filter((operation) => operation.op === 'submit-job' && operation.outcome === 'ok')
    .map((operation) => {
      const jobId = String(operation.data?.['jobId']);
      return { jobId, serials: (operation.data?.['serials'] as string[] | undefined) ?? [], how: hows.get(jobId) ?? '', submittedAtMs: operation.startMs };
    });
}

export interface JobRecordRead {
  state: string;
  revoked: string[];
  atMs: number;
}

/** The scheduler's last readable record of each job. */
export function lastJobRecords(history: Recorded): Map<string, JobRecordRead> {
  const records = new Map<string, JobRecordRead>();
  for (const operation of history.requests.filter((candidate) => candidate.op === 'job-record' && candidate.outcome === 'ok')) {
    const state = operation.body?.['state'];
    const revoked = operation.body?.['revoked'];
    if (typeof state !== 'string' || !Array.isArray(revoked)) continue;
    records.set(String(operation.data?.['jobId']), { state, revoked: revoked.map(String), atMs: operation.endMs });
  }
  return records;
}

/** The authority's last readable answer for each certificate: revoked or not. */
export function authorityRecords(history: Recorded): Map<string, { revoked: boolean; atMs: number }> {
  const records = new Map<string, { revoked: boolean; atMs: number }>();
  for (const operation of history.requests.filter((candidate: Operation) => candidate.op === 'certificate' && candidate.outcome === 'ok')) {
    const revoked = operation.body?.['revoked'];
    if (typeof revoked === 'boolean') records.set(String(operation.data?.['serial']), { revoked, atMs: operation.endMs });
  }
  return records;
}

export interface JobDisagreement {
  jobId: string;
  how: string;
  schedulerState: string;
  schedulerRevoked: number;
  authorityRevoked: number;
  differ: string;
  /** When both ends had been read. */
  readAtMs: number;
}

const sameSerials = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().join() === [...b].sort().join();

/**
 * Every submitted job's serials the scheduler holds revoked against those the authority revoked,
 * both as last read. A job never read settled, or with a serial the authority was never asked
 * about, is left out as unsettled.
 */
export function reconcileJobs(history: Recorded): { jobs: SubmittedJob[]; records: Map<string, JobRecordRead>; compared: number; disagreements: JobDisagreement[]; unsettled: string[] } {
  const jobs = submittedJobs(history);
  const records = lastJobRecords(history);
  const authority = authorityRecords(history);
  const unsettled: string[] = [];
  const pairs = [];
  for (const job of jobs) {
    const record = records.get(job.jobId);
    const truth = job.serials.map((serial) => authority.get(serial));
    if (!record || record.state === 'running' || truth.some((read) => read === undefined)) {
      unsettled.push(job.jobId);
      continue;
    }
    const revoked = job.serials.filter((_, index) => truth[index]?.revoked);
    pairs.push({ key: job.jobId, left: { ...record, how: job.how }, right: { revoked, atMs: Math.max(...truth.map((read) => read?.atMs ?? 0)) } });
  }
  const agreement = reconcile(pairs, (left, right) => sameSerials(left.revoked, right.revoked));
  const disagreements = agreement.disagreements.map(({ key, left, right }) => ({
    jobId: key,
    how: left.how,
    schedulerState: left.state,
    schedulerRevoked: left.revoked.length,
    authorityRevoked: right.revoked.length,
    differ: [...left.revoked.filter((serial) => !right.revoked.includes(serial)).map((serial) => `${serial} held revoked, not revoked`), ...right.revoked.filter((serial) => !left.revoked.includes(serial)).map((serial) => `${serial} revoked, not held`)].slice(0, 4).join('; '),
    readAtMs: Math.max(left.atMs, right.atMs),
  }));
  return { jobs, records, compared: agreement.compared, disagreements, unsettled };
}

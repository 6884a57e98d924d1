import type { HarnessClient, Operation, Recorded, Reply, StartedTopology, SystemView } from '../../harness/fault-api.ts';

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
}

export function pkiCalls(client: HarnessClient, topology: StartedTopology, pki: Pki): PkiCalls {
  const scheduler = () => topology.entry(pki.schedulerLink);
  const authority = () => topology.entry(pki.caLink);
  return {
    submit: (jobId, serials, signal) =>
      client.send({ op: 'submit-job', target: pki.scheduler, endpoint: scheduler, path: '/jobs', body: { jobId, kind: 'revocation', serials }, data: { role: 'job', jobId, serials: [...serials] } }, signal),
    job: (jobId, signal) =>
      client.send({ op: 'job-record', target: pki.scheduler, endpoint: scheduler, method: 'GET', path: `/jobs/${encodeURIComponent(jobId)}`, data: { role: 'record', jobId }, keep: ['state', 'revoked'] }, signal),
    certificate: (serial, signal) =>
      client.send({ op: 'certificate', target: pki.ca, endpoint: authority, method: 'GET', path: `/certificates/${encodeURIComponent(serial)}`, data: { role: 'authority', serial }, keep: ['revoked'] }, signal),
  };
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

import type { PostResult } from '../lib/http.ts';

/**
 * Batch transfer of a municipality's records from the relay to the card server: each record in
 * turn (`batch-record`), then `batch-commit`, which makes the card server send the municipality
 * its "registered" notice. Held in memory: the October 2015 failure happened within one process.
 *
 * The records leave the relay's memory for the transfer spool when the job starts. The 2015
 * console reported from that spool: once it was closed, by the last answer or by a failure, the
 * job read "finished" and every record counted as gone (F9). The honest console reports what the
 * card server acknowledged.
 */
export interface BatchMessage {
  requestId: string;
  municipality: string;
  op: 'batch-record' | 'batch-commit';
  payload: Record<string, unknown>;
}

export type Send = (message: BatchMessage) => Promise<PostResult>;

export interface BatchStatus {
  batchId: string;
  status: 'running' | 'finished' | 'failed';
  sent: number;
  acknowledged: number;
  records: number;
}

interface Job {
  batchId: string;
  municipality: string;
  records: number;
  /** Records moved out of memory into the spool. */
  spooled: number;
  /** Records handed to the card server. */
  dispatched: number;
  acknowledged: number;
  spoolClosed: boolean;
  committed: boolean;
}

export interface BatchOptions {
  send: Send;
  honestStatus: boolean;
  /** The transfer is over, by its commit or by a failure; `status` is what the console shows. */
  onEnded: (status: BatchStatus, failure: { seq: number; reason: string } | undefined) => void;
}

function spoolConsole(job: Job): BatchStatus {
  const { batchId, spooled, records } = job;
  return { batchId, status: job.spoolClosed ? 'finished' : 'running', sent: spooled, acknowledged: spooled, records };
}

function honestConsole(job: Job): BatchStatus {
  const { batchId, dispatched, acknowledged, records } = job;
  const status = job.committed ? 'finished' : job.spoolClosed ? 'failed' : 'running';
  return { batchId, status, sent: dispatched, acknowledged, records };
}

export class BatchJobs {
  readonly #options: BatchOptions;
  readonly #jobs = new Map<string, Job>();

  constructor(options: BatchOptions) {
    this.#options = options;
  }

  /** False when a batch of that ID already exists. */
  start(batchId: string, municipality: string, records: number): boolean {
    if (this.#jobs.has(batchId)) return false;
    const job: Job = { batchId, municipality, records, spooled: records, dispatched: 0, acknowledged: 0, spoolClosed: false, committed: false };
    this.#jobs.set(batchId, job);
    void this.#transfer(job);
    return true;
  }

  status(batchId: string): BatchStatus | undefined {
    const job = this.#jobs.get(batchId);
    if (!job) return undefined;
    return this.#options.honestStatus ? honestConsole(job) : spoolConsole(job);
  }

  async #transfer(job: Job): Promise<void> {
    const { batchId, municipality, records } = job;
    const send = (requestId: string, op: BatchMessage['op'], payload: Record<string, unknown>) =>
      attempt(() => this.#options.send({ requestId, municipality, op, payload }));
    const end = (failure?: { seq: number; reason: string }) => {
      job.spoolClosed = true;
      this.#options.onEnded(this.status(batchId) as BatchStatus, failure);
    };
    for (let seq = 1; seq <= records; seq++) {
      job.dispatched++;
      const reason = await send(`${batchId}-${seq}`, 'batch-record', { batchId, seq, record: fakeRecord(municipality, seq) });
      if (reason) return end({ seq, reason });
      job.acknowledged++;
    }
    const reason = await send(`${batchId}-commit`, 'batch-commit', { batchId, count: records });
    if (reason) return end({ seq: records + 1, reason });
    job.committed = true;
    end();
  }
}

/** Undefined when the card server answered 200, else why not. */
async function attempt(post: () => Promise<PostResult>): Promise<string | undefined> {
  try {
    const answer = await post();
    return answer.status === 200 ? undefined : `status ${answer.status}`;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  }
}

function fakeRecord(municipality: string, seq: number): Record<string, unknown> {
  return { household: `${municipality}-${String(seq).padStart(6, '0')}`, notificationCard: true };
}

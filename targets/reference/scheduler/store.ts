import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';

/**
 * The scheduler's record of a job (CONTRACT.md 2.5): what it believes became of it. `revoked` is
 * the serials it holds revoked; the harness reconciles them with the authority's own records.
 */
export interface JobRecord {
  jobId: string;
  state: 'running' | 'completed' | 'partial' | 'failed';
  serials: string[];
  revoked: string[];
  attempts: number;
  /** The last answer or failure, in the scheduler's own words. */
  note: string;
}

/** The scheduler's job table in SQLite: a job outlives a restart of the scheduler. */
export class JobStore {
  readonly #db: DatabaseSync;

  constructor(dir: string) {
    mkdirSync(dir, { recursive: true });
    this.#db = new DatabaseSync(path.join(dir, 'scheduler.db'));
    this.#db.exec('PRAGMA journal_mode = WAL');
    this.#db.exec('CREATE TABLE IF NOT EXISTS jobs (job_id TEXT PRIMARY KEY, record TEXT NOT NULL)');
  }

  get(jobId: string): JobRecord | undefined {
    const row = this.#db.prepare('SELECT record FROM jobs WHERE job_id = ?').get(jobId) as { record: string } | undefined;
    return row && (JSON.parse(row.record) as JobRecord);
  }

  save(record: JobRecord): void {
    this.#db.prepare('INSERT INTO jobs (job_id, record) VALUES (?, ?) ON CONFLICT (job_id) DO UPDATE SET record = excluded.record').run(record.jobId, JSON.stringify(record));
  }

  close(): void {
    this.#db.close();
  }
}

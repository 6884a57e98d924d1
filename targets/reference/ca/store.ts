import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';

/** What the authority did with one job: the serials it revoked and the records it refused. */
export interface RevocationRecord {
  jobId: string;
  /** `running` until it ends; `interrupted` when the server stopped in the middle of it. */
  state: 'running' | 'done' | 'partial' | 'fatal' | 'interrupted';
  revoked: string[];
  refused: Array<{ serial: string; reason: string }>;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS revoked (serial TEXT PRIMARY KEY, job_id TEXT NOT NULL, at TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS jobs (job_id TEXT PRIMARY KEY, state TEXT NOT NULL, revoked TEXT NOT NULL, refused TEXT NOT NULL);
`;

/**
 * The certificate authority's records in SQLite: each revocation written as it is made, so a
 * server killed in the middle of a job has revoked exactly what it wrote (F11 reconciles that).
 */
export class CaStore {
  readonly #db: DatabaseSync;

  constructor(dir: string) {
    mkdirSync(dir, { recursive: true });
    this.#db = new DatabaseSync(path.join(dir, 'ca.db'));
    this.#db.exec('PRAGMA journal_mode = WAL');
    this.#db.exec(SCHEMA);
    // A job the last run never finished ended with it.
    this.#db.prepare("UPDATE jobs SET state = 'interrupted' WHERE state = 'running'").run();
  }

  job(jobId: string): RevocationRecord | undefined {
    const row = this.#db.prepare('SELECT state, revoked, refused FROM jobs WHERE job_id = ?').get(jobId) as { state: RevocationRecord['state']; revoked: string; refused: string } | undefined;
    return row && { jobId, state: row.state, revoked: JSON.parse(row.revoked) as string[], refused: JSON.parse(row.refused) as RevocationRecord['refused'] };
  }

  save(record: RevocationRecord): void {
    this.#db
      .prepare('INSERT INTO jobs (job_id, state, revoked, refused) VALUES (?, ?, ?, ?) ON CONFLICT (job_id) DO UPDATE SET state = excluded.state, revoked = excluded.revoked, refused = excluded.refused')
      .run(record.jobId, record.state, JSON.stringify(record.revoked), JSON.stringify(record.refused));
  }

  /**
   * One certificate revoked and its job's record saying so, in one transaction: a kill between
   * the two writes left a certificate revoked that its job did not list (run 16 of bench/tests.md).
   */
  revoke(serial: string, record: RevocationRecord): void {
    this.#db.exec('BEGIN');
    try {
      this.#db.prepare('INSERT OR IGNORE INTO revoked (serial, job_id, at) VALUES (?, ?, ?)').run(serial, record.jobId, new Date().toISOString());
      this.save(record);
      this.#db.exec('COMMIT');
    } catch (error) {
      this.#db.exec('ROLLBACK');
      throw error;
    }
  }

  certificate(serial: string): { serial: string; revoked: boolean; jobId: string | null } {
    const row = this.#db.prepare('SELECT job_id FROM revoked WHERE serial = ?').get(serial) as { job_id: string } | undefined;
    return { serial, revoked: row !== undefined, jobId: row?.job_id ?? null };
  }

  close(): void {
    this.#db.close();
  }
}

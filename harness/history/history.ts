import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Outcome } from './outcome.ts';

/** One request, from the moment the client began it to the moment its outcome was known. */
export interface Operation {
  id: number;
  /** Which client sent it (a terminal, a CS simulator, a probe). */
  client: string;
  /** What it was: a workload operation such as "search" or "pre-issue". */
  op: string;
  /** The link or component it was sent to. */
  target: string;
  /** Milliseconds since the history began (monotonic clock). */
  startMs: number;
  endMs: number;
  outcome: Outcome;
  status?: number;
  /** The error code seen, for failed requests. */
  code?: string;
  /** Anything the workload needs to judge later (a card ID, a request ID). */
  data?: Record<string, unknown>;
}

export type Invocation = Pick<Operation, 'client' | 'op' | 'target' | 'data'>;

interface Pending {
  invocation: Invocation;
  startMs: number;
  abort: () => void;
}

/**
 * Append-only history of every request the harness sent. Each completed operation is written at
 * once as one JSON line, so the evidence survives a crash of the harness; `close` ends every
 * request still open with the outcome `aborted`, so nothing is lost from the record.
 */
export class History {
  readonly file: string | undefined;
  readonly #origin = performance.now();
  readonly #operations: Operation[] = [];
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #closed = false;

  constructor(file?: string) {
    this.file = file;
    if (file) mkdirSync(path.dirname(file), { recursive: true });
  }

  now(): number {
    return performance.now() - this.#origin;
  }

  /** Opens an operation; `abort` is how `close` cancels it if it is still open then. */
  begin(invocation: Invocation, abort: () => void): number {
    if (this.#closed) throw new Error('history is closed');
    const id = this.#nextId++;
    this.#pending.set(id, { invocation, startMs: this.now(), abort });
    return id;
  }

  complete(id: number, result: Pick<Operation, 'outcome' | 'status' | 'code'> & { data?: Record<string, unknown> }): Operation {
    const pending = this.#pending.get(id);
    if (!pending) {
      // `close` already ended it as aborted; the first outcome recorded stands.
      const recorded = this.#operations.findLast((operation) => operation.id === id);
      if (!recorded) throw new Error(`operation ${id} was never begun`);
      return recorded;
    }
    this.#pending.delete(id);
    const data = pending.invocation.data || result.data ? { ...pending.invocation.data, ...result.data } : undefined;
    const operation: Operation = {
      id,
      ...pending.invocation,
      startMs: round(pending.startMs),
      endMs: round(this.now()),
      outcome: result.outcome,
      ...(result.status !== undefined && { status: result.status }),
      ...(result.code !== undefined && { code: result.code }),
      ...(data && { data }),
    };
    this.#operations.push(operation);
    if (this.file) appendFileSync(this.file, `${JSON.stringify(operation)}\n`);
    return operation;
  }

  get operations(): readonly Operation[] {
    return this.#operations;
  }

  get openCount(): number {
    return this.#pending.size;
  }

  /** Cancels every open request and records it as aborted. Idempotent. */
  close(): void {
    this.#closed = true;
    for (const [id, pending] of [...this.#pending]) {
      pending.abort();
      if (this.#pending.has(id)) this.complete(id, { outcome: 'aborted', code: 'HISTORY_CLOSED' });
    }
  }
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Outcome } from './outcome.ts';
import { redactText } from './redact.ts';

/**
 * One run's history: everything a verdict may use, each entry written as one JSON line the moment
 * it is known, all on one clock (ms since the history began). Four kinds of entry, as in Jepsen a
 * client's ops and the nemesis's ops share one history:
 * - request: every request the harness sent, with its outcome;
 * - injection: everything done to the system (toxics, cuts, kill, pause, restart, operator commands);
 * - query: every look at a component (its state, its log events, a contract query's answer);
 * - note: what the fault planned (a budget, a sweep's settings), so a judge can tell "not reached"
 *   from "held".
 */
export interface Operation {
  type: 'request';
  id: number;
  /** Which client sent it (a terminal, a CS simulator, a probe). */
  client: string;
  /** What it was: a workload operation such as "search" or "pre-issue". */
  op: string;
  /** The link or component it was sent to. */
  target: string;
  startMs: number;
  endMs: number;
  outcome: Outcome;
  status?: number;
  /** The error word of the answer (the contract's `error` field) or the client's error code. */
  code?: string;
  /** Anything the workload needs to judge later (a card ID, a request ID, a role). */
  data?: Record<string, unknown>;
  /** The response-body fields the caller asked to keep (bounded). */
  body?: Record<string, unknown>;
}

export interface Injection {
  type: 'injection';
  /** When the harness asked for it. */
  atMs: number;
  /** When the mechanism reported it done (a restart: once the component was ready again). */
  endMs: number;
  /** Wall-clock time of `atMs`, to read beside the components' log lines. */
  time: string;
  /** The link or component acted on. */
  target: string;
  action: string;
  detail?: Record<string, unknown>;
  /** The mechanism refused or failed: the action may not have taken effect. */
  error?: string;
}

export interface Query {
  type: 'query';
  atMs: number;
  endMs: number;
  target: string;
  /** What was asked: `status`, `logs`, or an operator or contract query's name. */
  query: string;
  result?: unknown;
  error?: string;
}

export interface Note {
  type: 'note';
  atMs: number;
  name: string;
  data?: Record<string, unknown>;
}

export type Entry = Operation | Injection | Query | Note;

/** A history as a judge sees it: the entries of each kind, in the order they were written. */
export interface Recorded {
  requests: readonly Operation[];
  injections: readonly Injection[];
  queries: readonly Query[];
  notes: readonly Note[];
}

export type Invocation = Pick<Operation, 'client' | 'op' | 'target' | 'data'>;

interface Pending {
  invocation: Invocation;
  startMs: number;
  abort: () => void;
}

export const HISTORY_FILE = 'history.jsonl';

/**
 * Append-only. `close` ends every request still open with the outcome `aborted`, so nothing is
 * lost from the record; an entry that arrives after `close` is dropped (the run is over).
 */
export class History {
  readonly file: string | undefined;
  readonly #origin = performance.now();
  readonly #recorded = { requests: [] as Operation[], injections: [] as Injection[], queries: [] as Query[], notes: [] as Note[] };
  readonly #pending = new Map<number, Pending>();
  readonly #onWriteError: ((error: Error) => void) | undefined;
  readonly #secrets: Set<string>;
  #nextId = 1;
  #closed = false;
  #writeFailed = false;

  /**
   * `onWriteError` hears once that the file can no longer be written (its folder deleted, a full
   * disk); `secrets` is where `redact` keeps what no entry may hold, shared with whoever else must
   * keep it out of the evidence (the runner, for the components' saved logs).
   */
  constructor(file?: string, onWriteError?: (error: Error) => void, secrets = new Set<string>()) {
    this.file = file;
    this.#onWriteError = onWriteError;
    this.#secrets = secrets;
    if (file) mkdirSync(path.dirname(file), { recursive: true });
  }

  /** From now on `secret` (a PIN) is replaced in every entry recorded, whatever the target answers or logs. */
  redact(secret: string): void {
    if (secret !== '') this.#secrets.add(secret);
  }

  now(): number {
    return performance.now() - this.#origin;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Opens a request; `abort` is how `close` cancels it if it is still open then. */
  begin(invocation: Invocation, abort: () => void): number {
    if (this.#closed) throw new Error('history is closed');
    const id = this.#nextId++;
    this.#pending.set(id, { invocation, startMs: this.now(), abort });
    return id;
  }

  complete(id: number, result: Pick<Operation, 'outcome' | 'status' | 'code' | 'body'> & { data?: Record<string, unknown> }): Operation {
    const pending = this.#pending.get(id);
    if (!pending) {
      // `close` already ended it as aborted; the first outcome recorded stands.
      const recorded = this.#recorded.requests.findLast((operation) => operation.id === id);
      if (!recorded) throw new Error(`operation ${id} was never begun`);
      return recorded;
    }
    this.#pending.delete(id);
    const data = pending.invocation.data || result.data ? { ...pending.invocation.data, ...result.data } : undefined;
    const operation: Operation = this.#redacted({
      type: 'request',
      id,
      ...pending.invocation,
      startMs: round(pending.startMs),
      endMs: round(this.now()),
      outcome: result.outcome,
      ...(result.status !== undefined && { status: result.status }),
      ...(result.code !== undefined && { code: result.code }),
      ...(data && { data }),
      ...(result.body && { body: result.body }),
    });
    this.#recorded.requests.push(operation);
    this.#write(operation);
    return operation;
  }

  /** A request another client sent and recorded itself (k6 in a suite), added with its outcome. */
  imported(request: Omit<Operation, 'type' | 'id'>): void {
    this.#add(this.#recorded.requests, { type: 'request', id: this.#nextId++, ...request, startMs: round(request.startMs), endMs: round(request.endMs) });
  }

  /** Performs `act` on the system and records it as an injection; `outcome` adds what the result says. */
  async inject<T>(
    target: string,
    action: string,
    detail: Record<string, unknown> | undefined,
    act: () => Promise<T>,
    outcome?: (result: T) => Record<string, unknown>,
  ): Promise<T> {
    const atMs = this.now();
    const time = new Date().toISOString();
    const record = (extra: Partial<Injection>) => {
      const entry: Injection = { type: 'injection', atMs: round(atMs), endMs: round(this.now()), time, target, action, ...(detail && { detail }), ...extra };
      this.#add(this.#recorded.injections, entry);
    };
    try {
      const result = await act();
      record(outcome ? { detail: { ...detail, ...outcome(result) } } : {});
      return result;
    } catch (error) {
      record({ error: (error as Error).message });
      throw error;
    }
  }

  /** Performs a look at the system and records what it answered (`summarize` bounds a large answer). */
  async query<T>(target: string, query: string, ask: () => Promise<T>, summarize: (result: T) => unknown = (result) => result): Promise<T> {
    const atMs = this.now();
    try {
      const result = await ask();
      this.#add(this.#recorded.queries, { type: 'query', atMs: round(atMs), endMs: round(this.now()), target, query, result: summarize(result) });
      return result;
    } catch (error) {
      this.#add(this.#recorded.queries, { type: 'query', atMs: round(atMs), endMs: round(this.now()), target, query, error: (error as Error).message });
      throw error;
    }
  }

  note(name: string, data?: Record<string, unknown>): void {
    this.#add(this.#recorded.notes, { type: 'note', atMs: round(this.now()), name, ...(data && { data }) });
  }

  /** The live record (judges read it synchronously; it only ever grows). */
  get recorded(): Recorded {
    return this.#recorded;
  }

  get operations(): readonly Operation[] {
    return this.#recorded.requests;
  }

  get openCount(): number {
    return this.#pending.size;
  }

  /** Cancels every open request and records it as aborted. Idempotent. */
  close(): void {
    for (const [id, pending] of [...this.#pending]) {
      pending.abort();
      if (this.#pending.has(id)) this.complete(id, { outcome: 'aborted', code: 'HISTORY_CLOSED' });
    }
    this.#closed = true;
  }

  #add<E extends Entry>(list: E[], entry: E): void {
    if (this.#closed) return;
    const kept = this.#redacted(entry);
    list.push(kept);
    this.#write(kept);
  }

  #redacted<E extends Entry>(entry: E): E {
    if (this.#secrets.size === 0) return entry;
    const text = JSON.stringify(entry);
    const clean = redactText(text, this.#secrets);
    return clean === text ? entry : (JSON.parse(clean) as E);
  }

  #write(entry: Entry): void {
    if (!this.file || this.#writeFailed) return;
    try {
      appendFileSync(this.file, `${JSON.stringify(entry)}\n`);
    } catch (error) {
      this.#writeFailed = true;
      this.#onWriteError?.(error as Error);
    }
  }
}

/** Reads a history file back into its kinds (for `ijiwaru judge`, reports and tests). */
export function readHistory(file: string): Recorded {
  const recorded = { requests: [] as Operation[], injections: [] as Injection[], queries: [] as Query[], notes: [] as Note[] };
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const entry = JSON.parse(line) as Entry;
    if (entry.type === 'injection') recorded.injections.push(entry);
    else if (entry.type === 'query') recorded.queries.push(entry);
    else if (entry.type === 'note') recorded.notes.push(entry);
    else recorded.requests.push(entry);
  }
  return recorded;
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

import type { Injection, Operation, Query, Recorded, SystemView } from '../../harness/fault-api.ts';

/**
 * Reading a history for a judge: pure helpers over the recorded entries, so that every judge
 * reads states, operator commands and outcomes the same way.
 */

/** A request that did not do its work, whatever status or word the target used for it. */
export function failed(operation: Operation): boolean {
  return operation.outcome !== 'ok' && operation.outcome !== 'aborted';
}

/** A request that got no answer in time: the target's own timeout status (504) or the client's give-up. */
export function timedOut(operation: Operation): boolean {
  return operation.status === 504 || operation.outcome === 'timeout-headers' || operation.outcome === 'timeout-body' || operation.outcome === 'timeout-connect';
}

export const roleOf = (operation: Operation): string | undefined => operation.data?.['role'] as string | undefined;

export interface StateSample {
  target: string;
  atMs: number;
  state: string;
  exitCode: number | null;
  /** Killed by the kernel for its memory limit; undefined where the runtime enforces no real limit. */
  oomKilled?: boolean;
}

/** Every recorded state of `target` (status queries), in time order. */
export function statesOf(history: Recorded, target: string): StateSample[] {
  return history.queries
    .filter((query: Query) => query.target === target && query.query === 'status' && query.result !== undefined)
    .map((query) => {
      const result = query.result as { state: string; exitCode: number | null; oomKilled?: boolean };
      return { target, atMs: query.endMs, state: result.state, exitCode: result.exitCode, ...(result.oomKilled !== undefined && { oomKilled: result.oomKilled }) };
    })
    .sort((a, b) => a.atMs - b.atMs);
}

/** The last log events counted for `target` (the last logs query), by event name. */
export function logEventsOf(history: Recorded, target: string): Record<string, number> {
  const last = history.queries.findLast((query) => query.target === target && query.query === 'logs' && query.result !== undefined);
  return ((last?.result as { events?: Record<string, number> } | undefined)?.events ?? {}) as Record<string, number>;
}

/** The operator commands run as `argv` (exec injections), in time order. */
export function commandsRun(history: Recorded, argv: readonly string[]): Array<Injection & { exitCode: number | null }> {
  const wanted = JSON.stringify(argv);
  return history.injections
    .filter((injection) => injection.action === 'exec' && JSON.stringify(injection.detail?.['argv']) === wanted)
    .map((injection) => ({ ...injection, exitCode: (injection.detail?.['exitCode'] as number | undefined) ?? null }));
}

/** A request as a judgement's details show it: enough to find it in the history and the logs. */
export function requestSummary(operation: Operation): Record<string, unknown> {
  return { id: operation.id, op: operation.op, requestId: operation.data?.['requestId'], cardId: operation.data?.['cardId'], outcome: operation.outcome, status: operation.status, startMs: operation.startMs, endMs: operation.endMs };
}

/** The words a set of failures met (the contract's error word, else the status or outcome), a few. */
export function failureWords(operations: readonly Operation[]): string {
  return [...new Set(operations.map((operation) => operation.code ?? operation.status ?? operation.outcome))].slice(0, 3).join(', ');
}

/** Every component of the system by name: its CSs, relays and card servers. */
export const componentsOf = (view: SystemView): string[] => [...view.municipalities.map((municipality) => municipality.cs), ...view.relays.map((relay) => relay.name), ...view.cardServers];

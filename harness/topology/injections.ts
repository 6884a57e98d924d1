import type { History } from '../history/history.ts';
import type { Component } from '../runtime/types.ts';

/** Lines of a component's log kept in the history each time it is read: the last ones. */
const LOG_LINES_KEPT = 200;
/** Changed files named in the history each time they are read. */
const FILES_LISTED = 100;
/** Characters of an operator command's output kept in the history. */
const OUTPUT_KEPT = 4000;

/**
 * Where a topology's links and components report what was done to them and what was asked of
 * them. Records nothing until a run attaches its history; then every action is an injection and
 * every look a query of that history, on its clock (the nemesis's ops in Jepsen's one history).
 */
export class InjectionJournal {
  #history: History | undefined;

  attach(history: History): void {
    this.#history = history;
  }

  /** Performs `act` and records it; `outcome` adds what the result says (an exit status). */
  track<T>(
    target: string,
    action: string,
    detail: Record<string, unknown> | undefined,
    act: () => Promise<T>,
    outcome?: (result: T) => Record<string, unknown>,
  ): Promise<T> {
    const history = this.#history;
    return history && !history.closed ? history.inject(target, action, detail, act, outcome) : act();
  }

  /** Performs a look at the system and records its (bounded) answer. */
  query<T>(target: string, query: string, ask: () => Promise<T>, summarize?: (result: T) => unknown): Promise<T> {
    const history = this.#history;
    return history && !history.closed ? history.query(target, query, ask, summarize) : ask();
  }
}

/** The log events of a component's JSON-lines log, counted by name, and its last lines. */
export function logSummary(text: string): { events: Record<string, number>; lines: number; tail: string[] } {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  const events: Record<string, number> = {};
  for (const line of lines) {
    const event = /"event"\s*:\s*"([^"]{1,80})"/.exec(line)?.[1];
    if (event !== undefined) events[event] = (events[event] ?? 0) + 1;
  }
  return { events, lines: lines.length, tail: lines.slice(-LOG_LINES_KEPT) };
}

/** The component with every operation on it recorded in `journal`: actions as injections, looks as queries. */
export function journaled(component: Component, journal: InjectionJournal): Component {
  const track = <T>(action: string, act: () => Promise<T>, detail?: Record<string, unknown>, outcome?: (result: T) => Record<string, unknown>) =>
    journal.track(component.name, action, detail, act, outcome);
  return {
    name: component.name,
    endpoint: (port) => component.endpoint(port),
    stop: () => track('stop', () => component.stop()),
    kill: () => track('kill', () => component.kill()),
    pause: () => track('pause', () => component.pause()),
    resume: () => track('resume', () => component.resume()),
    restart: () => track('restart', () => component.restart()),
    logs: () => journal.query(component.name, 'logs', () => component.logs(), logSummary),
    exec: (argv) =>
      track('exec', () => component.exec(argv), { argv }, (result) => ({ exitCode: result.exitCode, output: result.output.slice(0, OUTPUT_KEPT) })),
    limitMemory: (bytes) => track('limit-memory', () => component.limitMemory(bytes), { bytes }),
    // The history keeps which files and how big, never their contents (they may hold what must not be copied, F17).
    changedFiles: () =>
      journal.query(component.name, 'changed-files', () => component.changedFiles(), (files) => ({ files: files.length, listed: files.slice(0, FILES_LISTED).map((file) => ({ path: file.path, bytes: file.content.length })) })),
    status: () => journal.query(component.name, 'status', () => component.status()),
  };
}

import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Component } from '../runtime/types.ts';

/**
 * One action the harness took on the system (a toxic, a kill, an operator command, a load phase),
 * as the mechanism performed it. The nemesis's side of the history: the report draws these over
 * the requests, on the same clock.
 */
export interface Injection {
  /** Milliseconds on the run's clock (a fault's `History.now()`) when the harness asked for it. */
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

export const INJECTIONS_FILE = 'injections.jsonl';

/**
 * Where a topology's links and components report what was done to them. Records nothing until a
 * run attaches its file and clock; each action is appended as one JSON line once it returns, so
 * the record survives a crash of the harness like the history does.
 */
export class InjectionJournal {
  #sink: { file: string; now: () => number } | undefined;

  attach(file: string, now: () => number): void {
    mkdirSync(path.dirname(file), { recursive: true });
    this.#sink = { file, now };
  }

  /** Performs `act` and records it; `outcome` adds what the result says (an exit status). */
  async track<T>(
    target: string,
    action: string,
    detail: Record<string, unknown> | undefined,
    act: () => Promise<T>,
    outcome?: (result: T) => Record<string, unknown>,
  ): Promise<T> {
    const sink = this.#sink;
    if (!sink) return act();
    const atMs = sink.now();
    const time = new Date().toISOString();
    const write = (extra: Partial<Injection>) => {
      const injection: Injection = { atMs: round(atMs), endMs: round(sink.now()), time, target, action, ...(detail && { detail }), ...extra };
      appendFileSync(sink.file, `${JSON.stringify(injection)}\n`);
    };
    try {
      const result = await act();
      write(outcome ? { detail: { ...detail, ...outcome(result) } } : {});
      return result;
    } catch (error) {
      write({ error: (error as Error).message });
      throw error;
    }
  }
}

/** The component with every operation that changes it recorded in `journal`; queries pass through. */
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
    logs: () => component.logs(),
    exec: (argv) => track('exec', () => component.exec(argv), { argv }, (result) => ({ exitCode: result.exitCode })),
    limitMemory: (bytes) => track('limit-memory', () => component.limitMemory(bytes), { bytes }),
    status: () => component.status(),
  };
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

import type { RunProgress } from '../runner.ts';

/**
 * Progress of a long run for the person or the CI log watching it: the phase, the time elapsed
 * and the most it can still take. On a terminal one status line is redrawn in place under the
 * news lines; elsewhere (CI logs, pipes) every line is plain and stamped with the elapsed time,
 * and a heartbeat line shows the run is alive when nothing else was said for a while.
 */
export interface Progress extends RunProgress {
  /** A line of news. */
  say(line: string): void;
  /** The run is over: the status line goes away, timers stop. */
  end(): void;
}

export interface ProgressOutput {
  write(text: string): unknown;
  /** True on a terminal. */
  isTTY?: boolean;
}

export interface ProgressOptions {
  now?: () => number;
  /** How often the status line is redrawn on a terminal. */
  redrawMs?: number;
  /** After how long without news a plain output gets a heartbeat line. */
  heartbeatMs?: number;
}

export function clock(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

export function createProgress(output: ProgressOutput, options: ProgressOptions = {}): Progress {
  const now = options.now ?? (() => performance.now());
  const tty = output.isTTY === true;
  const began = now();
  let phases: Array<{ name: string; atMostMs: number }> = [];
  let current: { name: string; index: number; since: number } | undefined;
  let lastWrite = began;
  let statusShown = false;

  const leftMs = (): number | undefined => {
    if (!current || current.index < 0) return undefined;
    const inPhase = Math.max(0, (phases[current.index]?.atMostMs ?? 0) - (now() - current.since));
    return phases.slice(current.index + 1).reduce((sum, phase) => sum + phase.atMostMs, inPhase);
  };
  const status = (): string => {
    const left = leftMs();
    const position = current && current.index >= 0 ? ` ${current.index + 1}/${phases.length}` : '';
    return `[${current?.name ?? 'starting'}${position}] elapsed ${clock(now() - began)}${left === undefined ? '' : `, at most ${clock(left)} left`}`;
  };
  const clearStatus = () => {
    if (statusShown) output.write('\r\u001b[2K');
    statusShown = false;
  };
  const drawStatus = () => {
    if (!tty) return;
    clearStatus();
    output.write(status());
    statusShown = true;
  };
  const line = (text: string) => {
    clearStatus();
    output.write(tty ? `${text}\n` : `[${clock(now() - began)}] ${text}\n`);
    lastWrite = now();
    drawStatus();
  };

  const timer = setInterval(
    () => {
      if (tty) drawStatus();
      else if (now() - lastWrite >= (options.heartbeatMs ?? 30_000)) line(`still running: ${status()}`);
    },
    tty ? (options.redrawMs ?? 1000) : Math.min(options.heartbeatMs ?? 30_000, 5000),
  );
  // Progress never keeps a finished run alive.
  timer.unref();

  return {
    plan(planned) {
      phases = [...planned];
    },
    phase(name) {
      current = { name, index: phases.findIndex((phase) => phase.name === name), since: now() };
      const left = leftMs();
      line(`${name}: begins${left === undefined ? '' : ` (at most ${clock(left)} left in the run)`}`);
    },
    say: line,
    end() {
      clearInterval(timer);
      clearStatus();
    },
  };
}

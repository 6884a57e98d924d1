/**
 * What ties a run to whoever started it. A run whose parent died (a CI runner cancelled, a
 * terminal closed, an `npx` killed) or whose stdout nobody reads any more (`| head`, a closed
 * pipe) has no one to tell its results to: it should stop its fault, write its report and reap
 * its containers rather than run on for minutes, or die on its next write with its containers
 * left behind.
 */

/** How often the parent is looked for: a dead one is noticed within this. */
export const PARENT_POLL_MS = 500;

/** The abort reason of a cut lifeline: the run ends with exit status 2, not as interrupted. */
export class LifelineCut extends Error {
  constructor(message: 'parent process ended' | 'stdout closed', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LifelineCut';
  }
}

export interface LifelineOptions {
  /** Where the one line saying why goes (default: stderr). */
  say?: (line: string) => void;
  /** The parent process ID now (default: `process.ppid`, read afresh each poll). */
  ppid?: () => number;
  /** The stream whose failure ends the run (default: process.stdout). */
  output?: NodeJS.EventEmitter;
  pollMs?: number;
}

/**
 * Aborts `controller` with a LifelineCut (one line: "parent process ended" or "stdout closed")
 * when the parent process ends, seen as `process.ppid` changing (the orphan is handed to init or
 * a subreaper), or when stdout can no longer be written (EPIPE or any error on it); that line
 * also goes on stderr. Disposing stops watching; an error on stdout after that is ignored.
 * Neither the timer nor the listener keeps the process alive.
 */
export function lifeline(controller: AbortController, options: LifelineOptions = {}): Disposable {
  const say = options.say ?? ((line: string) => process.stderr.write(`ijiwaru: ${line}\n`));
  const ppid = options.ppid ?? (() => process.ppid);
  const output = options.output ?? process.stdout;
  const parent = ppid();
  const cut = (reason: LifelineCut) => {
    if (controller.signal.aborted) return;
    say(`${reason.message}: stopping the run and writing its report`);
    controller.abort(reason);
  };
  const timer = setInterval(() => {
    if (ppid() !== parent) cut(new LifelineCut('parent process ended'));
  }, options.pollMs ?? PARENT_POLL_MS);
  timer.unref();
  const onError = (error: unknown) => cut(new LifelineCut('stdout closed', { cause: error }));
  output.on('error', onError);
  return {
    [Symbol.dispose]() {
      clearInterval(timer);
      // A stream reports a failed write only after a turn of the event loop, and a stream that
      // failed fails every later write too: an error that comes after the run (its last line, the
      // table) has no run left to stop, and must not end the process as an uncaught error either.
      output.off('error', onError);
      output.on('error', ignore);
    },
  };
}

function ignore(): void {}

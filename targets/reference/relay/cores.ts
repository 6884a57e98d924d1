import type { Scheduler } from './clock.ts';

/**
 * The relay's CPU cores as the HSM and the hardware monitor share them. A core handles a board's
 * interrupt (the board's data, `coreMs`) and then sends the board its completion. How a monitor
 * query meets that work is the BIOS interrupt mode (F1):
 * - logical: the query is served at once, interleaved with whatever the core is doing; a core
 *   that handles a board's data and a query at the same time answers only the monitor, and the
 *   board's completion is lost;
 * - physical: the query takes its turn like any other work, after the interrupt and its
 *   completion, so the ordering holds.
 */
export interface CoreOptions {
  cores: number;
  coreMs: number;
  pollMs: number;
  physicalMode: boolean;
  scheduler: Scheduler;
}

interface Interrupt {
  complete: () => void;
  lost: boolean;
}

type Work = { kind: 'interrupt'; interrupt: Interrupt } | { kind: 'query'; answered: () => void };

class Core {
  readonly #options: CoreOptions;
  readonly #queue: Work[] = [];
  #current: Work | undefined;
  /** Queries being served outside the queue (logical mode). */
  #queries = 0;

  constructor(options: CoreOptions) {
    this.#options = options;
  }

  interrupt(complete: () => void): void {
    this.#enqueue({ kind: 'interrupt', interrupt: { complete, lost: false } });
  }

  query(): Promise<void> {
    return new Promise((answered) => {
      if (this.#options.physicalMode) return this.#enqueue({ kind: 'query', answered });
      this.#queries++;
      if (this.#current?.kind === 'interrupt') this.#current.interrupt.lost = true;
      this.#options.scheduler.after(this.#options.pollMs, () => {
        this.#queries--;
        answered();
      });
    });
  }

  #enqueue(work: Work): void {
    this.#queue.push(work);
    if (!this.#current) this.#next();
  }

  #next(): void {
    const work = this.#queue.shift();
    this.#current = work;
    if (!work) return;
    if (work.kind === 'interrupt' && this.#queries > 0) work.interrupt.lost = true;
    const ms = work.kind === 'interrupt' ? this.#options.coreMs : this.#options.pollMs;
    this.#options.scheduler.after(ms, () => {
      if (work.kind === 'query') work.answered();
      else if (!work.interrupt.lost) work.interrupt.complete();
      this.#next();
    });
  }
}

export class Cores {
  readonly #cores: Core[];
  #nextCore = 0;

  constructor(options: CoreOptions) {
    this.#cores = Array.from({ length: Math.max(1, options.cores) }, () => new Core(options));
  }

  get count(): number {
    return this.#cores.length;
  }

  /** Interrupts go round robin over the cores. */
  interrupt(complete: () => void): void {
    const core = this.#cores[this.#nextCore] as Core;
    this.#nextCore = (this.#nextCore + 1) % this.#cores.length;
    core.interrupt(complete);
  }

  /** A monitor's status check of every core; resolves once every core has answered. */
  async query(): Promise<number> {
    await Promise.all(this.#cores.map((core) => core.query()));
    return this.#cores.length;
  }
}

import type { Scheduler } from './clock.ts';
import type { Cores } from './cores.ts';

/**
 * The hardware-monitoring agent: it checks every core on its own schedule (every 2 hours in
 * 2016; stopped as an interim fix in March 2016), and other monitoring tools can check now.
 */
export interface MonitorOptions {
  intervalMs: number;
  scheduleRuns: boolean;
  cores: Cores;
  scheduler: Scheduler;
  onPoll: (source: 'schedule' | 'operator', cores: number) => void;
}

export class Monitor {
  readonly #options: MonitorOptions;
  #cancel: (() => void) | undefined;

  constructor(options: MonitorOptions) {
    this.#options = options;
  }

  start(): void {
    const { scheduleRuns, intervalMs, scheduler } = this.#options;
    if (!scheduleRuns || intervalMs <= 0 || this.#cancel) return;
    const tick = () => {
      this.#cancel = scheduler.after(intervalMs, tick);
      void this.#poll('schedule');
    };
    this.#cancel = scheduler.after(intervalMs, tick);
  }

  stop(): void {
    this.#cancel?.();
    this.#cancel = undefined;
  }

  pollNow(): Promise<number> {
    return this.#poll('operator');
  }

  async #poll(source: 'schedule' | 'operator'): Promise<number> {
    const cores = await this.#options.cores.query();
    this.#options.onPoll(source, cores);
    return cores;
  }
}

import type { Scheduler } from './clock.ts';
import type { Cores } from './cores.ts';

/**
 * The tamper-resistant boards. Each serves one operation at a time: it works `opMs`, raises an
 * interrupt, and the operation is done only when a core sends the completion back. A board whose
 * completion never comes waits for ever, and so does everything queued behind it (F1), unless the
 * watchdog (the interim fix of March 2016) notices, fails the operation and re-initialises it.
 */
export class HsmInterrupted extends Error {
  constructor(board: number) {
    super(`HSM board ${board}: processing interrupted`);
  }
}

export interface HsmOptions {
  boards: number;
  opMs: number;
  /** How long an operation may wait for its completion before a board counts as waiting. */
  watchdogMs: number;
  watchdog: boolean;
  cores: Cores;
  scheduler: Scheduler;
  onInterrupted: (board: number) => void;
}

export interface BoardStatus {
  board: number;
  state: 'ok' | 'waiting';
  queued: number;
  completed: number;
}

interface Operation {
  run: () => void;
  fail: (error: Error) => void;
}

interface Current {
  operation: Operation;
  /** When the board raised its interrupt; the completion is awaited from then. */
  interruptedAt: number | undefined;
  cancelWatchdog: () => void;
}

class Board {
  readonly index: number;
  readonly #options: HsmOptions;
  readonly #queue: Operation[] = [];
  #current: Current | undefined;
  #completed = 0;

  constructor(index: number, options: HsmOptions) {
    this.index = index;
    this.#options = options;
  }

  submit(operation: Operation): void {
    this.#queue.push(operation);
    if (!this.#current) this.#next();
  }

  status(): BoardStatus {
    const { scheduler, watchdogMs } = this.#options;
    const since = this.#current?.interruptedAt;
    const waiting = since !== undefined && scheduler.now() - since > watchdogMs;
    return { board: this.index, state: waiting ? 'waiting' : 'ok', queued: this.#queue.length, completed: this.#completed };
  }

  #next(): void {
    const operation = this.#queue.shift();
    if (!operation) {
      this.#current = undefined;
      return;
    }
    const { scheduler, opMs, watchdog, watchdogMs, cores, onInterrupted } = this.#options;
    const current: Current = { operation, interruptedAt: undefined, cancelWatchdog: () => {} };
    this.#current = current;
    scheduler.after(opMs, () => {
      current.interruptedAt = scheduler.now();
      if (watchdog) {
        current.cancelWatchdog = scheduler.after(watchdogMs, () => {
          if (this.#current !== current) return;
          onInterrupted(this.index);
          operation.fail(new HsmInterrupted(this.index));
          this.#next();
        });
      }
      cores.interrupt(() => {
        // A completion for an operation the watchdog already gave up on finds a re-initialised board.
        if (this.#current !== current) return;
        current.cancelWatchdog();
        this.#completed++;
        operation.run();
        this.#next();
      });
    });
  }
}

export class Hsm {
  readonly #boards: Board[];
  #nextBoard = 0;

  constructor(options: HsmOptions) {
    this.#boards = Array.from({ length: Math.max(1, options.boards) }, (_, index) => new Board(index, options));
  }

  /** One HSM operation; `work` runs on the board once the operation completes. */
  run<T>(work: () => T): Promise<T> {
    const board = this.#boards[this.#nextBoard] as Board;
    this.#nextBoard = (this.#nextBoard + 1) % this.#boards.length;
    return new Promise((resolve, reject) =>
      board.submit({
        run: () => {
          try {
            resolve(work());
          } catch (error) {
            reject(error as Error);
          }
        },
        fail: reject,
      }),
    );
  }

  status(): BoardStatus[] {
    return this.#boards.map((board) => board.status());
  }
}

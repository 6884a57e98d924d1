import type { Scheduler } from './clock.ts';
import type { WorkAreas } from './work-area.ts';

/**
 * The relay's workers (its connection slots) and the per-message timer, modelled on the OS: an
 * expired timer's notification reaches the worker only `deliveryMs` later. A reset that comes in
 * that gap cannot take the notification back, so it stays pending on the worker (F2).
 */
export interface WorkerOptions {
  slots: number;
  timeoutMs: number;
  deliveryMs: number;
  /** The end handler checks the work area is allocated and this message's before freeing it. */
  checkedEndHandler: boolean;
  scheduler: Scheduler;
  areas: WorkAreas;
  /** A stale notification the checked end handler threw away. */
  onStaleDiscarded: (worker: number, messageId: string) => void;
}

type Timer =
  | { state: 'set'; cancel: () => void }
  | { state: 'fired'; cancelDelivery: () => void }
  | { state: 'done' };

interface Worker {
  index: number;
  message: Message | undefined;
  /** A timeout notification the worker has yet to receive, left by a reset that came too late. */
  pending: string | undefined;
}

export class Message {
  readonly id: string;
  readonly worker: number;
  #state: 'running' | 'completed' | 'timed-out' = 'running';
  #timer: Timer = { state: 'done' };
  readonly #pool: WorkerPool;
  readonly #onTimeout: () => void;

  constructor(pool: WorkerPool, id: string, worker: number, onTimeout: () => void) {
    this.#pool = pool;
    this.id = id;
    this.worker = worker;
    this.#onTimeout = onTimeout;
  }

  get state(): 'running' | 'completed' | 'timed-out' {
    return this.#state;
  }

  setTimer(cancel: () => void): void {
    this.#timer = { state: 'set', cancel };
  }

  /** The timer ran out; its notification is on its way to the worker. */
  fired(cancelDelivery: () => void): void {
    this.#timer = { state: 'fired', cancelDelivery };
  }

  /** The notification reached the worker while the message still ran: the timeout path. */
  delivered(): void {
    this.#timer = { state: 'done' };
    if (this.#state !== 'running') return;
    this.#state = 'timed-out';
    this.#pool.end(this.worker, this.id);
    this.#pool.release(this.worker);
    this.#onTimeout();
  }

  /**
   * Relaying finished: reset the timer, free the work area. False when the timeout path has
   * already answered; the late result is then dropped.
   */
  complete(): boolean {
    if (this.#state !== 'running') return false;
    const timer = this.#timer;
    if (timer.state === 'set') timer.cancel();
    if (timer.state === 'fired') {
      // The reset does not take effect: the notification is already in flight to this worker.
      timer.cancelDelivery();
      this.#pool.leavePending(this.worker, this.id);
    }
    this.#timer = { state: 'done' };
    this.#state = 'completed';
    this.#pool.end(this.worker, this.id);
    this.#pool.release(this.worker);
    return true;
  }
}

export class WorkerPool {
  readonly #options: WorkerOptions;
  readonly #workers: Worker[];

  constructor(options: WorkerOptions) {
    this.#options = options;
    this.#workers = Array.from({ length: options.slots }, (_, index) => ({ index, message: undefined, pending: undefined }));
  }

  get active(): number {
    return this.#workers.filter((worker) => worker.message).length;
  }

  /**
   * Takes the lowest free worker for a message: it first receives any notification pending on
   * it, then allocates the work area and sets the timer. Undefined when every worker is busy.
   */
  begin(messageId: string, onTimeout: () => void): Message | undefined {
    const worker = this.#workers.find((candidate) => !candidate.message);
    if (!worker) return undefined;
    const message = new Message(this, messageId, worker.index, onTimeout);
    worker.message = message;
    const stale = worker.pending;
    if (stale !== undefined) {
      worker.pending = undefined;
      // The notification runs the end handler in this message's context, before its allocation.
      this.end(worker.index, stale);
    }
    this.#options.areas.allocate(worker.index, messageId);
    const { scheduler, timeoutMs, deliveryMs } = this.#options;
    message.setTimer(
      scheduler.after(timeoutMs, () => message.fired(scheduler.after(deliveryMs, () => message.delivered()))),
    );
    return message;
  }

  /** The end-of-processing handler, run by both the completion and the timeout notification. */
  end(worker: number, messageId: string): void {
    const { areas, checkedEndHandler, onStaleDiscarded } = this.#options;
    if (checkedEndHandler && !areas.ownedBy(worker, messageId)) {
      onStaleDiscarded(worker, messageId);
      return;
    }
    areas.free(worker, messageId);
  }

  leavePending(worker: number, messageId: string): void {
    const state = this.#workers[worker];
    if (state) state.pending = messageId;
  }

  release(worker: number): void {
    const state = this.#workers[worker];
    if (state) state.message = undefined;
  }
}

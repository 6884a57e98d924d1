/**
 * Time as the relay's mechanisms see it. The timer race (F2) and the interrupt collision (F1) are
 * about orderings a few milliseconds apart; a unit test replaces this with a clock it advances by
 * hand to produce exactly the interleaving it wants.
 */
export interface Scheduler {
  now(): number;
  /** Runs `task` after `ms`; the returned function cancels it if it has not run yet. */
  after(ms: number, task: () => void): () => void;
}

/** Node's timers hold at most 2^31-1 ms and fire after 1 ms beyond it; longer waits are chained. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

export const realScheduler: Scheduler = {
  now: () => performance.now(),
  after(ms, task) {
    let timer: NodeJS.Timeout;
    const wait = (remaining: number) => {
      timer = setTimeout(() => (remaining > LONGEST_TIMER_MS ? wait(remaining - LONGEST_TIMER_MS) : task()), Math.min(remaining, LONGEST_TIMER_MS));
    };
    wait(ms);
    return () => clearTimeout(timer);
  },
};

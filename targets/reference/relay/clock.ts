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

export const realScheduler: Scheduler = {
  now: () => performance.now(),
  after(ms, task) {
    const timer = setTimeout(task, ms);
    return () => clearTimeout(timer);
  },
};

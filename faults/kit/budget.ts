import type { FaultContext } from '../types.ts';

/** How often a budget asks the fault's judge whether the history so far already holds a finding. */
const JUDGE_EVERY_MS = 250;

/**
 * The part of a fault's run that may stop early: its signal aborts after `ms`, on the context's
 * signal, or as soon as the fault's own judge finds a defect in the history so far (`stopAtFinding`),
 * so `run` never restates its oracle. Dispose it (`using`) to stop its timers.
 */
export function budget(context: FaultContext, ms: number, options: { stopAtFinding?: boolean } = {}): { signal: AbortSignal; stop(): void } & Disposable {
  const controller = new AbortController();
  const signal = AbortSignal.any([context.signal, controller.signal]);
  const timer = setTimeout(() => controller.abort(), ms);
  const judging =
    options.stopAtFinding === false
      ? undefined
      : setInterval(() => {
          if (context.found()) controller.abort();
        }, JUDGE_EVERY_MS);
  const stop = () => {
    clearTimeout(timer);
    clearInterval(judging);
    controller.abort();
  };
  signal.addEventListener('abort', stop, { once: true });
  return { signal, stop, [Symbol.dispose]: stop };
}

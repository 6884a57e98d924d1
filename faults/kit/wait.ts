import { setTimeout as sleep } from 'node:timers/promises';

/** Waits `ms`, or less if `signal` aborts; never throws. */
export async function wait(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted || ms <= 0) return;
  await sleep(ms, undefined, { signal }).catch(() => undefined);
}

import type { Terminal } from './terminal.ts';
import { wait } from './wait.ts';

/** The pre-issue write of the contract: 29 exchanges with the centre among 146 local reads/writes (CONTRACT.md 2.1). */
export const PRE_ISSUE_EXCHANGES = 29;
export const PRE_ISSUE_STEPS = 146;
/** How often the chip's progress is read while waiting for a step. */
const POLL_MS = 10;

/**
 * The local step by which exchange `k` (1-based) has been sent, if the exchanges are spread
 * evenly over the write (the contract gives the counts, not the order; a sweep covers them all).
 */
export const stepOfExchange = (k: number): number => Math.floor(((k - 1) * PRE_ISSUE_STEPS) / PRE_ISSUE_EXCHANGES) + 1;

/** Reads the chip (`GET /ic/:cardId`) until its write has reached `step`; false if the write ended first. */
export async function reachStep(terminal: Terminal, cardId: string, step: number, signal: AbortSignal): Promise<boolean> {
  while (!signal.aborted) {
    const body = (await terminal.ic(cardId)).operation.body;
    if (body?.['state'] === 'writing' && Number(body['step']) >= step) return true;
    if (body?.['state'] !== undefined && body['state'] !== 'writing' && body['state'] !== 'blank') return false;
    await wait(POLL_MS, signal);
  }
  return false;
}

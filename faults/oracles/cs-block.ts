import type { Operation } from '../../harness/history/history.ts';
import type { FaultResult } from '../types.ts';

/**
 * The blast radius of one trigger at a CS (F3, F4), judged from the history alone. Operations are
 * tagged in `data.role`: the `trigger` that should fail by itself, `innocent` work in flight at
 * the same CS, and `probe`s sent afterwards to see whether the CS still serves.
 */
export type Role = 'trigger' | 'innocent' | 'probe';

export interface BlockVerdict extends Omit<FaultResult, 'evidence'> {
  casualties: number;
  blockedAnswers: number;
  refusedForMs: number;
}

const role = (operation: Operation) => operation.data?.role as Role | undefined;

/**
 * `trigger.code` names the code with which the trigger fails by itself without harming anyone
 * (overflow, or a search timeout); an overflow answer to any request is also its own failure,
 * since that request met the cap itself. Anything else that failed, and every `blocked` answer, is collateral damage.
 */
export function judgeCsBlock(operations: readonly Operation[], trigger: { code: string; description: string }): BlockVerdict {
  const triggered = operations.some((operation) => role(operation) === 'trigger' && operation.code === trigger.code);
  const blocked = operations.filter((operation) => operation.code === 'blocked');
  const casualties = operations.filter(
    (operation) =>
      role(operation) !== 'probe' &&
      operation.outcome !== 'ok' &&
      operation.code !== trigger.code &&
      operation.code !== 'overflow',
  );
  // From the first refusal to the end of the last: how long the CS turned all work away.
  const refusedForMs = blocked.length > 0 ? Math.max(...blocked.map((o) => o.endMs)) - Math.min(...blocked.map((o) => o.startMs)) : 0;
  const innocents = operations.filter((operation) => role(operation) === 'innocent');
  const damage = [...blocked, ...casualties];
  if (damage.length > 0) {
    const first = Math.min(...damage.map((operation) => operation.endMs));
    const harmedInnocents = casualties.filter((operation) => role(operation) === 'innocent').length;
    return {
      verdict: 'finding',
      detectedAfterMs: Math.round(first),
      summary:
        `one ${trigger.description} failed ${harmedInnocents} of ${innocents.length} transactions in flight and ` +
        `${casualties.length - harmedInnocents} other request(s), and the CS refused all work for ${Math.round(refusedForMs)} ms ` +
        `(${blocked.length} blocked answers)`,
      casualties: casualties.length,
      blockedAnswers: blocked.length,
      refusedForMs,
    };
  }
  if (!triggered) {
    return {
      verdict: 'inconclusive',
      detectedAfterMs: null,
      summary: `the ${trigger.description} never happened, so the CS's reaction could not be seen`,
      casualties: 0,
      blockedAnswers: 0,
      refusedForMs: 0,
    };
  }
  return {
    verdict: 'pass',
    detectedAfterMs: null,
    summary: `the ${trigger.description} failed only itself; ${innocents.length} transactions in flight and every probe were served`,
    casualties: 0,
    blockedAnswers: 0,
    refusedForMs: 0,
  };
}

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
 * `ownFailure` names the code with which an operation may fail by itself without harming anyone:
 * the trigger's (overflow, or a search timeout) and, for F3, an innocent request that itself met
 * the cap. Anything else that failed, and every `blocked` answer, is collateral damage.
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
  const refused = operations.filter((operation) => role(operation) === 'probe' && operation.code === 'blocked');
  const refusedForMs = refused.length > 0 ? Math.max(...refused.map((o) => o.endMs)) - Math.min(...refused.map((o) => o.startMs)) : 0;
  const damage = [...blocked, ...casualties];
  if (damage.length > 0) {
    const first = Math.min(...damage.map((operation) => operation.endMs));
    return {
      verdict: 'finding',
      detectedAfterMs: Math.round(first),
      summary:
        `one ${trigger.description} failed ${casualties.length} other transaction(s) in flight and the CS refused all work ` +
        `(${blocked.length} blocked answers, refusing for ${Math.round(refusedForMs)} ms after)`,
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
  const innocents = operations.filter((operation) => role(operation) === 'innocent').length;
  return {
    verdict: 'pass',
    detectedAfterMs: null,
    summary: `the ${trigger.description} failed only itself; ${innocents} transactions in flight and every probe were served`,
    casualties: 0,
    blockedAnswers: 0,
    refusedForMs: 0,
  };
}

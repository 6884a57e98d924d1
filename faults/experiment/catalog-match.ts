import type { CheckerFailure } from './judge.ts';
import { AT_THE_RELAY_TIMEOUT, type FaultSpec } from './types.ts';

/**
 * Which documented fault (INCIDENTS.md) a failure of an experiment is, by what was harmed and how
 * it was provoked, never by the target's words: a match names the catalog's mean test that proves
 * the same defect; no match is a failure nobody wrote down.
 */
interface Rule {
  fault: string;
  harm: (failure: CheckerFailure, all: readonly CheckerFailure[]) => boolean;
  cause: (fault: FaultSpec, seen: Provocation) => boolean;
}

/** What the history shows of how the harm was provoked, beyond the faults placed. */
export interface Provocation {
  /** A search of the workload failed after waiting at least the CS's declared search timeout. */
  searchOutlastedItsTimeout: boolean;
}

/** Work refused after the heal while every component stayed up: a block, not a component that died (no-crash says that). */
const refusedAfterwards = (failure: CheckerFailure, all: readonly CheckerFailure[]) =>
  (failure.checker === 'liveness' || failure.checker === 'blast-radius') && !all.some((other) => other.checker === 'no-crash');

const RULES: readonly Rule[] = [
  // However the write was interrupted (a component restarted, the line cut), the chip must survive it.
  { fault: 'F8', harm: (failure) => failure.kind === 'broken-chip', cause: () => true },
  // However the path failed during the issue (a link, a relay paused or killed), the terminal's recovery must reconcile.
  { fault: 'F7', harm: (failure) => failure.kind === 'disagreement', cause: () => true },
  // However the transfer broke, the console must not say more than the card server holds.
  { fault: 'F9', harm: (failure) => failure.checker === 'batch-reconciliation', cause: () => true },
  { fault: 'F3', harm: refusedAfterwards, cause: (fault) => fault.kind === 'component' && fault.action === 'burst' },
  { fault: 'F4', harm: refusedAfterwards, cause: (_, seen) => seen.searchOutlastedItsTimeout },
  // A relay that died while answers met its timer, whatever its exit status or last words.
  { fault: 'F2', harm: (failure) => failure.checker === 'no-crash', cause: (fault) => fault.kind === 'link' && (fault.mode === 'latency>relayTimeoutMs' || fault.mode === AT_THE_RELAY_TIMEOUT) },
];

/** The catalog faults the failures match, given the faults placed (comma-separated), or undefined. */
export function catalogMatch(failures: readonly CheckerFailure[], faults: readonly FaultSpec[], seen: Provocation): string | undefined {
  const matched = RULES.filter((rule) => failures.some((failure) => rule.harm(failure, failures)) && faults.some((fault) => rule.cause(fault, seen))).map((rule) => rule.fault);
  return matched.length > 0 ? matched.join(',') : undefined;
}

import { SHEET_COMPARISON_ID } from '../faults/registry.ts';
import type { Fault } from '../faults/types.ts';
import type { Recorded } from './history/history.ts';
import type { SystemView } from './target/types.ts';
import type { Judgement, Verdict } from './verdict.ts';

/** Beside a fault's history: what the judge needs besides it (the system's view, the run's settings). */
export const VIEW_FILE = 'view.json';
/** The judgement and what decided it. */
export const JUDGEMENT_FILE = 'judgement.json';

/** F15's record beside its judgement: the two sheets, and each fault's verdict under each. */
export const SHEETS_FILE = 'sheets.json';

export interface SheetsRecord {
  test: Record<string, string>;
  production: Record<string, string>;
  pairs: Array<{ fault: string; test: Verdict; production: Verdict }>;
}

/** Where F15 keeps a fault's run under production's sheet: evidence/F15/FAULT. */
export const sheetFolder = (fault: string) => `${SHEET_COMPARISON_ID}/${fault}`;

export interface ViewRecord {
  fault: string;
  target: string;
  /** The run ID its containers, networks and processes were labelled with. */
  runId: string;
  seed: number;
  timeScale: number;
  view: SystemView;
}

export interface SafeJudgement extends Omit<Judgement, 'verdict'> {
  verdict: Judgement['verdict'] | 'error';
}

/** Jepsen's check-safe: a judge that throws gives `error` with its message, never a crash of the run. */
export function judgeSafely(fault: Pick<Fault, 'id' | 'judge'>, history: Recorded, view: SystemView): SafeJudgement {
  try {
    return fault.judge(history, view);
  } catch (error) {
    return { verdict: 'error', detectedAfterMs: null, summary: `${fault.id} could not be judged: ${(error as Error).message}` };
  }
}

import type { Operation, Recorded } from '../../harness/fault-api.ts';
import type { FaultContext } from '../types.ts';
import { liveness, type LivenessReport, type LivenessWindow } from './checkers/liveness.ts';
import { failed } from './evidence.ts';
import { wait } from './wait.ts';

/**
 * A component taken down and brought back, as a failover test does it: stopped (and started
 * again), killed with SIGKILL (and started again), or paused (and resumed). Each window is noted
 * in the history where it begins and where it is healed, so a judge reads the windows from the
 * history alone.
 */
export type Outage = 'stop' | 'kill' | 'pause';

export interface Phase {
  /** How the summary names it, e.g. "relay-1 kill -9". */
  name: string;
  target: string;
  outage: Outage;
}

export interface FaultWindow extends Phase {
  /** When the harness began to take the component down. */
  beganAtMs: number;
  /** When the outage had taken effect (the component stopped, dead or frozen). */
  faultAtMs: number;
  /** When the component served again (restarted and ready, or resumed); null while it is down. */
  healedAtMs: number | null;
}

/**
 * Takes the component down, holds it so for `holdMs`, and brings it back; false when `signal`
 * ended the hold first (the component is then left down: the runner reaps the system anyway).
 */
export async function outage(context: FaultContext, phase: Phase, holdMs: number, signal: AbortSignal): Promise<boolean> {
  const component = context.topology.component(phase.target);
  const beganAtMs = Math.round(context.history.now());
  await (phase.outage === 'stop' ? component.stop() : phase.outage === 'kill' ? component.kill() : component.pause());
  context.history.note('fault', { ...phase, beganAtMs });
  await wait(holdMs, signal);
  if (signal.aborted) return false;
  await (phase.outage === 'pause' ? component.resume() : component.restart());
  context.history.note('healed', { name: phase.name });
  return true;
}

/** The windows noted by `outage`, in order; the last may still be open. */
export function faultWindows(history: Recorded): FaultWindow[] {
  const windows: FaultWindow[] = [];
  for (const note of history.notes) {
    const data = note.data ?? {};
    if (note.name === 'fault') {
      windows.push({ name: String(data['name']), target: String(data['target']), outage: data['outage'] as Outage, beganAtMs: Number(data['beganAtMs'] ?? note.atMs), faultAtMs: note.atMs, healedAtMs: null });
    } else if (note.name === 'healed') {
      const open = windows.findLast((window) => window.name === data['name'] && window.healedAtMs === null);
      if (open) open.healedAtMs = note.atMs;
    }
  }
  return windows;
}

/** Liveness of one outage, as `outageLiveness` measures it. */
export interface OutageLiveness {
  window: FaultWindow;
  report: LivenessReport;
  /** The work begun after the switch-over and before the heal that failed. */
  failures: Operation[];
  /** Work was asked for within `recoverWithinMs` of the heal and not served within it. */
  unrecovered: boolean;
}

/**
 * Liveness of each outage noted by `outage`: the work begun after the switch-over until the heal,
 * and the first work served after it. A failure met once the next outage had begun is that
 * outage's to judge (work such as a pre-issue takes seconds), not this one's.
 */
export function outageLiveness(history: Recorded, work: readonly Operation[], limits: Pick<LivenessWindow, 'switchOverMs' | 'recoverWithinMs' | 'maxFailedShare'>): OutageLiveness[] {
  const lastMs = Math.max(0, ...history.requests.map((operation) => operation.endMs));
  const windows = faultWindows(history);
  return windows.map((window, index) => {
    const nextBeganAtMs = windows[index + 1]?.beganAtMs ?? Infinity;
    const counted = work.filter((operation) => operation.outcome === 'ok' || operation.endMs < nextBeganAtMs);
    const healedAt = window.healedAtMs ?? Infinity;
    const report = liveness(counted, { ...limits, faultAtMs: window.faultAtMs, healedAtMs: healedAt });
    const switchedAt = window.faultAtMs + limits.switchOverMs;
    const failures = counted.filter((operation) => operation.startMs >= switchedAt && operation.startMs < healedAt && failed(operation));
    // Asked within the stated time after the heal, and not served within it: it did not recover
    // (work that only began later, behind long work still running, says nothing of it).
    const asked = counted.some((operation) => operation.outcome !== 'aborted' && operation.startMs >= healedAt && operation.startMs < healedAt + limits.recoverWithinMs);
    const unrecovered = asked && (report.recoveredAfterMs === null ? lastMs > healedAt + limits.recoverWithinMs : report.recoveredAfterMs > limits.recoverWithinMs);
    return { window, report, failures, unrecovered };
  });
}

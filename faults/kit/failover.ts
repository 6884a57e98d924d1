import type { Recorded } from '../../harness/fault-api.ts';
import type { FaultContext } from '../types.ts';
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

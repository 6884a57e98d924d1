import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pidsDir } from '../paths.ts';

/**
 * Child processes of live runs, on disk, so that `ijiwaru clean` can reap what a run killed with
 * SIGKILL left behind. A pid is identified together with its start time, so a reused pid is spared.
 */
function startTimeOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

export function recordChild(runId: string, pid: number): void {
  mkdirSync(pidsDir, { recursive: true });
  appendFileSync(path.join(pidsDir, `${runId}.pids`), `${pid} ${startTimeOf(pid) ?? '?'}\n`);
}

export function forgetRun(runId: string): void {
  rmSync(path.join(pidsDir, `${runId}.pids`), { force: true });
}

/** The recorded children of a run (of every run without an ID) that are still alive. */
export function liveChildren(runId?: string): number[] {
  let files: string[];
  try {
    files = readdirSync(pidsDir).filter((file) => file.endsWith('.pids') && (!runId || file === `${runId}.pids`));
  } catch {
    return [];
  }
  const alive: number[] = [];
  for (const file of files) {
    for (const line of readFileSync(path.join(pidsDir, file), 'utf8').split('\n')) {
      const [pid, started] = line.split(' ');
      if (pid && started && startTimeOf(Number(pid)) === started) alive.push(Number(pid));
    }
  }
  return alive;
}

/** Kills the recorded children still alive and forgets the runs. */
export function reapChildren(runId?: string): number {
  const alive = liveChildren(runId);
  for (const pid of alive) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone between the listing and the kill
    }
  }
  try {
    for (const file of readdirSync(pidsDir)) {
      if (file.endsWith('.pids') && (!runId || file === `${runId}.pids`)) rmSync(path.join(pidsDir, file), { force: true });
    }
  } catch {
    // no registry yet: nothing to forget
  }
  return alive.length;
}

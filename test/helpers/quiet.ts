// The test command's precondition for a phase (above all the quiet phase, whose suites judge
// latency): nothing of ours is running. A file that tap killed at its timeout never reaches its
// own cleanup, and an `ijiwaru run` it had spawned (with its containers) would load the machine
// of the next phase; this finds such leftovers, gives them a while to end by themselves, then
// kills them and removes what they left.
import { readdirSync, readFileSync } from 'node:fs';
import { clean as cleanAll, type CleanResult } from '../../harness/clean.ts';
import { runCommand } from '../../harness/command.ts';
import { OWNER_LABEL } from '../../harness/runtime/types.ts';

/** A process of ours: pid, its start time (so a reused pid is spared) and what it runs. */
export interface OurProcess {
  pid: number;
  started: string;
  command: string;
}

/** A container labelled `ijiwaru=1` that is running. */
export interface OurContainer {
  id: string;
  name: string;
}

export interface Ours {
  processes: OurProcess[];
  containers: OurContainer[];
}

/** The arguments that make a process ours: the CLI (also through npx's link) and the reaping tests' holder. */
const OUR_ARGUMENTS = [/(^|\/)bin\/ijiwaru\.js$/, /(^|\/)\.bin\/ijiwaru$/, /hold-topology/];
/** Every process of a process-runtime run carries it (harness/runtime/process.ts). */
const RUN_ENV = 'IJIWARU_RUN=';

function readProc(pid: number | 'self', file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined; // ended while we looked, or not ours to read
  }
}

/** Fields of /proc/PID/stat after the command name: [0] state, [1] ppid, ..., [19] start time. */
function statFields(pid: number | 'self'): string[] | undefined {
  const stat = readProc(pid, 'stat');
  return stat === undefined ? undefined : stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** This process and its ancestors: the test command and whatever started it are never leftovers. */
export function selfAndAncestors(): Set<number> {
  const pids = new Set<number>([process.pid]);
  let pid = process.ppid;
  while (pid > 1 && !pids.has(pid)) {
    pids.add(pid);
    pid = Number(statFields(pid)?.[1] ?? 0);
  }
  return pids;
}

/** The processes of ours in the OS's process table, but for this one and its ancestors. */
export function ourProcesses(spare: ReadonlySet<number> = selfAndAncestors()): OurProcess[] {
  const found: OurProcess[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (spare.has(pid)) continue;
    // A zombie has an empty command line and environment: it runs nothing any more.
    const args = (readProc(pid, 'cmdline') ?? '').split('\0').filter(Boolean);
    if (args.length === 0) continue;
    const ours = args.some((arg) => OUR_ARGUMENTS.some((pattern) => pattern.test(arg))) || (readProc(pid, 'environ') ?? '').split('\0').some((variable) => variable.startsWith(RUN_ENV));
    const started = statFields(pid)?.[19];
    if (ours && started) found.push({ pid, started, command: args.join(' ') });
  }
  return found;
}

/** The running containers labelled `ijiwaru=1`; none when no engine answers. */
export async function ourContainers(): Promise<OurContainer[]> {
  const listed = await runCommand('docker', ['ps', '--filter', `label=${OWNER_LABEL}=1`, '--format', '{{.ID}} {{.Names}}'], { timeoutMs: 30_000 });
  if (listed.code !== 0) return [];
  return listed.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [id = '', name = ''] = line.split(' ');
      return { id, name };
    });
}

export async function oursRunning(): Promise<Ours> {
  return { processes: ourProcesses(), containers: await ourContainers() };
}

const nothing = (ours: Ours) => ours.processes.length === 0 && ours.containers.length === 0;

export interface QuietOptions {
  /** Where we are, for the line printed: "phase 2", "the end". */
  before: string;
  /** How long leftovers get to end by themselves (a run that lost its parent stops within seconds). */
  waitMs?: number;
  pollMs?: number;
  say?: (line: string) => void;
  /** Seams for testing: what is running, how a process is killed, what removes what runs left. */
  scan?: () => Promise<Ours>;
  kill?: (leftover: OurProcess) => void;
  clean?: () => Promise<CleanResult>;
}

export interface QuietResult {
  /** Nothing of ours running when it returned. */
  quiet: boolean;
  /** What was running when it was first checked. */
  found: Ours;
  /** What was still running after the wait, and so killed. */
  killed: Ours;
  /** What `clean()` removed after the kill. */
  cleaned?: CleanResult;
  /** What is still running if it could not make the machine quiet. */
  left: Ours;
  waitedMs: number;
}

/** SIGKILL, unless the pid now belongs to another process (its start time changed). */
function killProcess(ours: OurProcess): void {
  if (statFields(ours.pid)?.[19] !== ours.started) return;
  try {
    process.kill(ours.pid, 'SIGKILL');
  } catch {
    // gone between the check and the kill
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const plural = (count: number, word: 'process' | 'container' | 'network') => `${count} ${word}${count === 1 ? '' : word === 'process' ? 'es' : 's'}`;

function describe(ours: Ours): string {
  const parts: string[] = [];
  if (ours.processes.length > 0) {
    const shown = ours.processes.slice(0, 3).map((leftover) => `${leftover.pid} ${leftover.command.slice(0, 100)}`);
    parts.push(`${plural(ours.processes.length, 'process')} (${shown.join('; ')}${ours.processes.length > 3 ? '; …' : ''})`);
  }
  if (ours.containers.length > 0) {
    const shown = ours.containers.slice(0, 4).map((container) => container.name || container.id);
    parts.push(`${plural(ours.containers.length, 'container')} (${shown.join(', ')}${ours.containers.length > 4 ? ', …' : ''})`);
  }
  return parts.join(' and ');
}

/**
 * Makes sure nothing of ours is running: waits up to `waitMs` for leftovers to end by themselves,
 * then SIGKILLs the processes and runs `clean()` for their containers, networks and recorded
 * children, and checks again. Prints one line when it found anything, none when the machine was
 * quiet already.
 */
export async function ensureQuiet(options: QuietOptions): Promise<QuietResult> {
  const { before, waitMs = 20_000, pollMs = 500, say = () => undefined, scan = oursRunning, kill = killProcess, clean = () => cleanAll() } = options;
  const began = performance.now();
  const found = await scan();
  const none: Ours = { processes: [], containers: [] };
  if (nothing(found)) return { quiet: true, found, killed: none, left: none, waitedMs: 0 };

  let current = found;
  while (!nothing(current) && performance.now() - began < waitMs) {
    await sleep(pollMs);
    current = await scan();
  }
  const waitedMs = performance.now() - began;
  const seconds = `${Math.round(waitedMs / 1000)} s`;
  if (nothing(current)) {
    say(`ijiwaru: before ${before}: ${describe(found)} of ours ended on their own within ${seconds}; nothing reaped`);
    return { quiet: true, found, killed: none, left: none, waitedMs };
  }

  const killed = current;
  for (const leftover of killed.processes) kill(leftover);
  let cleaned: CleanResult | undefined;
  let cleanError = '';
  try {
    cleaned = await clean();
  } catch (error) {
    cleanError = `; clean failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
  }
  // A SIGKILLed process is gone at once; give the engine a moment to show the removals.
  let left = await scan();
  for (let attempt = 0; attempt < 10 && !nothing(left); attempt++) {
    await sleep(pollMs);
    left = await scan();
  }
  const removed = cleaned ? `; clean removed ${plural(cleaned.containers, 'container')}, ${plural(cleaned.networks, 'network')}, ${plural(cleaned.processes, 'process')}` : '';
  const verdict = nothing(left) ? 'now quiet' : `STILL RUNNING: ${describe(left)}`;
  say(`ijiwaru: before ${before}: reaped ${describe(killed)} still running after ${seconds} (SIGKILL)${removed}${cleanError}; ${verdict}`);
  return { quiet: nothing(left), found, killed, cleaned, left, waitedMs };
}

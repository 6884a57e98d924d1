import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Plan, RequestLine } from '../../load/plan.ts';
import { registerCleanup, registerLastResort } from '../runtime/reaper.ts';
import { toolPath } from '../setup/tools.ts';

const SCRIPT = path.join(import.meta.dirname, '../../load/terminals.ts');

export interface K6Run {
  /** One line per request k6 sent, in the order k6 wrote them. */
  requests: RequestLine[];
  exitCode: number | null;
  /** The caller's `enough` ended the load before its plan did. */
  stoppedEarly: boolean;
  /** Evidence files, relative to `dir`. */
  files: { plan: string; requests: string; summary: string; dashboard: string };
  /** k6's own last lines when it failed. */
  stderrTail: string;
}

/** The longest the plan can run, jitter and answers of its last arrivals included. */
export function planDurationS(plan: Plan): number {
  const stagesS = Math.max(...plan.scenarios.map((scenario) => scenario.stages.reduce((sum, stage) => sum + stage.durationS, 0)));
  return stagesS + plan.jitterS + plan.timeoutS * 2 + 5;
}

/**
 * Runs load/terminals.ts with the pinned k6, offline, with the HTML dashboard exported and no
 * dashboard server. Bounded twice: by the plan's own stages and by a hard deadline past them;
 * Ctrl-C or the caller's signal stop k6 and whatever it recorded so far is kept.
 */
export async function runK6(plan: Plan, dir: string, signal: AbortSignal, enough?: (requests: RequestLine[]) => boolean): Promise<K6Run> {
  const files = { plan: 'k6-plan.json', requests: 'k6-requests.jsonl', summary: 'k6-summary.json', dashboard: 'k6-dashboard.html' };
  const at = (name: string) => path.join(dir, name);
  writeFileSync(at(files.plan), `${JSON.stringify(plan, null, 2)}\n`);
  // k6 appends to its console file.
  rmSync(at(files.requests), { force: true });
  const deadline = AbortSignal.timeout(Math.ceil(planDurationS(plan) * 1000) + 30_000);
  const child = spawn(
    toolPath('k6'),
    ['run', '--quiet', '--no-color', '--log-format', 'raw', '--console-output', at(files.requests), '--summary-export', at(files.summary), SCRIPT],
    {
      env: {
        ...process.env,
        PLAN: at(files.plan),
        K6_NO_USAGE_REPORT: 'true',
        K6_AUTO_EXTENSION_RESOLUTION: 'false',
        K6_WEB_DASHBOARD: 'true',
        K6_WEB_DASHBOARD_PORT: '-1',
        K6_WEB_DASHBOARD_EXPORT: at(files.dashboard),
      },
      stdio: ['ignore', 'ignore', 'pipe'],
      signal: AbortSignal.any([signal, deadline]),
      killSignal: 'SIGKILL',
    },
  );
  const unregister = registerCleanup(async () => void child.kill('SIGKILL'));
  const unregisterLast = registerLastResort(() => void child.kill('SIGKILL'));
  // `enough` may end the load early (the limit test once it has seen the knee): k6 stops its
  // scenarios on the first SIGINT and still writes its summary and dashboard.
  let stopped = false;
  const watcher = enough
    ? setInterval(() => {
        if (!stopped && enough(readRequests(at(files.requests)))) {
          stopped = true;
          child.kill('SIGINT');
        }
      }, 1000)
    : undefined;
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exitCode = await new Promise<number | null>((resolve) => {
    child.once('error', () => undefined);
    child.once('close', (code) => resolve(code));
  });
  clearInterval(watcher);
  unregister();
  unregisterLast();
  return { requests: readRequests(at(files.requests)), exitCode, stoppedEarly: stopped, files, stderrTail: stderr.trim().split('\n').slice(-3).join(' | ') };
}

/** The complete lines so far (k6 may be writing the last one). */
function readRequests(file: string): RequestLine[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('{') && line.endsWith('}'))
    .map((line) => JSON.parse(line) as RequestLine);
}

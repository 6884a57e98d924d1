// The project's test command (npm test): first-use setup, then every tap test file, then the
// plain closing line `N passed, N failed` that CI reads (it does not read tap's own summary).
// The full TAP stream is kept in .tap/last-run.tap (with each phase's time as a TAP comment, for
// bench/tests.ts); the terminal gets one line a file and the failing assertions, and at the end
// each file's time. Before each phase and after the last, nothing of ours may be running
// (test/helpers/quiet.ts): a file tap killed at its timeout must not load the next phase.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { clean } from '../harness/clean.ts';
import { describeFailure } from '../harness/errors.ts';
import { projectRoot } from '../harness/paths.ts';
import { ensureChromium } from '../harness/setup/chromium.ts';
import { setup } from '../harness/setup/setup.ts';
import { EXPIRED_LINE, FILE_LINE, fileLimitS, SUBTEST_LINE } from './helpers/file-times.ts';
import { ensureQuiet } from './helpers/quiet.ts';

const say = (line: string) => process.stderr.write(`${line}\n`);

const setupBegan = performance.now();
try {
  await setup({ engine: true, say });
  // The report test opens report.html in Debian's Chromium (installed on first use).
  await ensureChromium(say);
} catch (error) {
  say(describeFailure(error).line);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

say(`ijiwaru: setup took ${Math.round((performance.now() - setupBegan) / 1000)} s`);

// tap compiles its plugin set (.taprc drops the ts-node plugin: Node 24 strips types itself) on
// the first run after a change, and that run would still use the old set; build it up front.
const built = spawnSync(path.join(projectRoot, 'node_modules/.bin/tap'), ['build'], { cwd: projectRoot, stdio: 'inherit' });
if (built.status !== 0) {
  say('ijiwaru: tap build failed');
  console.log('0 passed, 1 failed');
  process.exit(1);
}

interface FileTime {
  file: string;
  /** NaN for a file killed at tap's timeout (its line carries no time). */
  ms: number;
  ok: boolean;
  timedOut: boolean;
}

interface Phase {
  pass: number;
  fail: number;
  transcript: string[];
  files: FileTime[];
}

/** One tap run; prints a line a file and the failing assertions, keeps the whole stream. */
async function runTap(args: string[]): Promise<Phase> {
  const tap = spawn(path.join(projectRoot, 'node_modules/.bin/tap'), ['--reporter=tap', ...args], {
    cwd: projectRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const transcript: string[] = [];
  const files: FileTime[] = [];
  let summary: { pass: number; fail: number } | undefined;
  let failedFiles = 0;
  let subtest = '';
  let timedOut: FileTime | undefined;
  for await (const line of createInterface({ input: tap.stdout })) {
    transcript.push(line);
    const file = FILE_LINE.exec(line);
    const expired = EXPIRED_LINE.exec(line);
    if (file) {
      console.log(line);
      if (file[1]) failedFiles++;
      const killed = line.includes(' - timeout!');
      files.push({ file: killed ? subtest : (file[2] ?? subtest), ms: Number(file[3] ?? NaN), ok: !file[1], timedOut: killed });
      timedOut = killed ? files.at(-1) : undefined;
    } else if (expired && timedOut) {
      timedOut.file = expired[1] ?? timedOut.file;
      console.log(`  ${timedOut.file}: killed at tap's timeout`);
      timedOut = undefined;
    } else if (SUBTEST_LINE.test(line)) {
      subtest = SUBTEST_LINE.exec(line)?.[1] ?? '';
    } else if (/^\s+not ok \d+ - /.test(line)) {
      console.log(line);
    }
    const total = /^# \{ total: (\d+)(?:, pass: (\d+))?(?:, fail: (\d+))?/.exec(line);
    if (total) summary = { pass: Number(total[2] ?? 0), fail: Number(total[3] ?? 0) };
  }
  const status: number = await new Promise((resolve) => tap.once('close', (code) => resolve(code ?? 1)));
  // A file that died before reporting still counts as a failure even if no assertion said so.
  return { pass: summary?.pass ?? 0, fail: Math.max(summary?.fail ?? 0, failedFiles, status === 0 ? 0 : 1), transcript, files };
}

// Latency trends are judged one file at a time, after the rest, on a machine nothing else of
// ours is loading: F5's mean tests and the continuous suite, whose F5 is a climb of the card
// server's share of the latency. The other suites judge error shares and the order of two levels'
// knees, which hold beside a neighbour as they held beside a CPU hog (bench/tests.md), so they run with the rest. A suite
// declares its own tap timeout (SUITE_TIMEOUT_S). Files named on the command line run as one tap run.
const named = process.argv.slice(2);
const TRENDS = ['test/suites/continuous.test.ts', 'test/faults/F5*.test.ts'];
const trends = TRENDS.flatMap((pattern) =>
  readdirSync(path.join(projectRoot, path.dirname(pattern)))
    .filter((file) => path.matchesGlob(file, path.basename(pattern)))
    .map((file) => `${path.dirname(pattern)}/${file}`),
);
// tap's default on two CPUs is one job (it leaves one free); the other files mostly wait on the
// target's timers and tolerate a neighbour, so they run two at a time.
const phases = named.length > 0 ? [named] : [['--jobs=2', ...TRENDS.map((pattern) => `--exclude=${pattern}`)], ['--jobs=1', ...trends]];
const results: Phase[] = [];
const phaseSeconds: number[] = [];
/** A check of ensureQuiet that could not make the machine quiet: one failure, kept as a TAP comment. */
const quietFailure = (before: string): Phase => ({ pass: 0, fail: 1, transcript: [`# ijiwaru: something of ours still running before ${before}`], files: [] });
for (const [index, args] of phases.entries()) {
  const name = `phase ${index + 1} of ${phases.length}`;
  // The previous phase (or whatever ran before the test command) may have left a killed file's
  // `ijiwaru run` and its containers behind; no phase starts beside them, the quiet one least.
  if (!(await ensureQuiet({ before: name, say })).quiet) {
    say(`ijiwaru: ${name} not started: the machine is not quiet`);
    results.push(quietFailure(name));
    break;
  }
  const began = performance.now();
  results.push(await runTap(args));
  phaseSeconds.push((performance.now() - began) / 1000);
  say(`ijiwaru: test phase ${index + 1} of ${phases.length} took ${Math.round(phaseSeconds.at(-1) ?? 0)} s`);
}
// A file killed by tap's timeout never reaches its own cleanup; reap what it left so the next
// run (and the machine) starts clean. Every test also checks its own leftovers, so this is the
// backstop, not the check.
if (!(await ensureQuiet({ before: 'the end of the test command', say })).quiet) results.push(quietFailure('the end of the test command'));
const left = await clean();
if (left.containers + left.networks + left.processes > 0) {
  say(`ijiwaru: reaped ${left.containers} containers, ${left.networks} networks, ${left.processes} processes left by killed test files`);
}
// Each file's time, slowest first (bench/tests.ts makes bench/tests.md's table from the kept stream).
const slowness = (time: FileTime) => (time.timedOut ? Infinity : time.ms || 0);
const times = results.flatMap((phase) => phase.files).sort((a, b) => slowness(b) - slowness(a));
if (times.length > 0) {
  say('ijiwaru: time per test file (s):');
  for (const { file, ms, ok, timedOut } of times) {
    const seconds = Number.isNaN(ms) ? '     ?' : (ms / 1000).toFixed(1).padStart(6);
    const flags = [ms / 1000 > fileLimitS(file) || timedOut ? `over ${fileLimitS(file)} s` : '', timedOut ? "killed at tap's timeout" : ok ? '' : 'failed'].filter(Boolean).join(', ');
    say(`  ${seconds}  ${file}${flags ? `  (${flags})` : ''}`);
  }
  say(`ijiwaru: phases took ${phaseSeconds.map((seconds, index) => `${index + 1}: ${Math.round(seconds)} s`).join(', ')}`);
}
mkdirSync(path.join(projectRoot, '.tap'), { recursive: true });
const kept = results.flatMap((phase, index) => [...phase.transcript, ...(phaseSeconds[index] === undefined ? [] : [`# ijiwaru phase ${index + 1} of ${phases.length} time=${Math.round((phaseSeconds[index] ?? 0) * 1000)}ms`])]);
writeFileSync(path.join(projectRoot, '.tap', 'last-run.tap'), `${kept.join('\n')}\n`);
const passed = results.reduce((sum, phase) => sum + phase.pass, 0);
const failed = results.reduce((sum, phase) => sum + phase.fail, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);

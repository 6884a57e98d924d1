// The project's test command (npm test): first-use setup, then every tap test file, then the
// plain closing line `N passed, N failed` that CI reads (it does not read tap's own summary).
// The full TAP stream is kept in .tap/last-run.tap; the terminal gets one line a file and the
// failing assertions.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { clean } from '../harness/clean.ts';
import { describeFailure } from '../harness/errors.ts';
import { projectRoot } from '../harness/paths.ts';
import { ensureChromium } from '../harness/setup/chromium.ts';
import { setup } from '../harness/setup/setup.ts';

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

interface Phase {
  pass: number;
  fail: number;
  transcript: string[];
}

/** One tap run; prints a line a file and the failing assertions, keeps the whole stream. */
async function runTap(args: string[]): Promise<Phase> {
  const tap = spawn(path.join(projectRoot, 'node_modules/.bin/tap'), ['--reporter=tap', ...args], {
    cwd: projectRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const transcript: string[] = [];
  let summary: { pass: number; fail: number } | undefined;
  let failedFiles = 0;
  for await (const line of createInterface({ input: tap.stdout })) {
    transcript.push(line);
    if (/^(not )?ok \d+ - /.test(line)) {
      console.log(line);
      if (line.startsWith('not ok')) failedFiles++;
    } else if (/^\s+not ok \d+ - /.test(line)) {
      console.log(line);
    }
    const total = /^# \{ total: (\d+)(?:, pass: (\d+))?(?:, fail: (\d+))?/.exec(line);
    if (total) summary = { pass: Number(total[2] ?? 0), fail: Number(total[3] ?? 0) };
  }
  const status: number = await new Promise((resolve) => tap.once('close', (code) => resolve(code ?? 1)));
  // A file that died before reporting still counts as a failure even if no assertion said so.
  return { pass: summary?.pass ?? 0, fail: Math.max(summary?.fail ?? 0, failedFiles, status === 0 ? 0 : 1), transcript };
}

// The suites' oracles judge latency and error shares under load, so they run one at a time,
// after the rest, on a machine nothing else of ours is loading. Files named on the command line
// run as one tap run.
const named = process.argv.slice(2);
const suites = readdirSync(path.join(projectRoot, 'test/suites'))
  .filter((file) => file.endsWith('.test.ts'))
  .map((file) => `test/suites/${file}`);
// tap's default on two CPUs is one job (it leaves one free); the other files mostly wait on the
// target's timers and tolerate a neighbour, so they run two at a time.
const phases = named.length > 0 ? [named] : [['--jobs=2', '--exclude=test/suites/**'], ['--jobs=1', '--timeout=900', ...suites]];
const results: Phase[] = [];
for (const [index, args] of phases.entries()) {
  const began = performance.now();
  results.push(await runTap(args));
  say(`ijiwaru: test phase ${index + 1} of ${phases.length} took ${Math.round((performance.now() - began) / 1000)} s`);
}
// A file killed by tap's timeout never reaches its own cleanup; reap what it left so the next
// run (and the machine) starts clean. Every test also checks its own leftovers, so this is the
// backstop, not the check.
const left = await clean();
if (left.containers + left.networks + left.processes > 0) {
  say(`ijiwaru: reaped ${left.containers} containers, ${left.networks} networks, ${left.processes} processes left by killed test files`);
}
mkdirSync(path.join(projectRoot, '.tap'), { recursive: true });
writeFileSync(path.join(projectRoot, '.tap', 'last-run.tap'), `${results.flatMap((phase) => phase.transcript).join('\n')}\n`);
const passed = results.reduce((sum, phase) => sum + phase.pass, 0);
const failed = results.reduce((sum, phase) => sum + phase.fail, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);

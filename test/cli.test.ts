import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t, { type Test } from 'tap';
import { projectRoot } from '../harness/paths.ts';
import { ijiwaru } from './helpers/cli.ts';
import { leftovers } from './helpers/leftovers.ts';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'ijiwaru-cli-'));
t.teardown(() => rmSync(scratch, { recursive: true, force: true }));
const config = (name: string) => `test/fixtures/configs/${name}`;
const out = (name: string) => path.join(scratch, name);
const noEngine = { DOCKER_HOST: 'unix:///nonexistent/docker.sock' };
// A file where a folder is wanted.
const aFile = out('a-file');
writeFileSync(aFile, 'not a folder\n');

/** `docker`: the input reaches the container engine; its failure must still come within `timeoutS`. */
const badInputs: Array<{ args: string[]; env?: NodeJS.ProcessEnv; says: RegExp; docker?: { timeoutS: number } }> = [
  { args: ['frobnicate'], says: /unknown command "frobnicate"/ },
  { args: ['demo', '--frob'], says: /Unknown option '--frob'/ },
  { args: ['demo', '--runtime', 'vm'], says: /unknown runtime "vm"/ },
  { args: ['clean', 'extra'], says: /Unexpected argument 'extra'/ },
  { args: ['run', '--out', '/tmp/x'], says: /--target is required/ },
  { args: ['run', '--target', 'reference@2016-01'], says: /--out is required/ },
  { args: ['run', '--target', 'reference@1999-01', '--out', '/tmp/x'], says: /unknown reference variant "1999-01": use one of 2015-10/ },
  { args: ['run', '--target', 'vendor@1', '--out', '/tmp/x'], says: /unknown target "vendor"/ },
  { args: ['run', '--target', 'reference', '--out', '/tmp/x'], says: /is not NAME@VARIANT/ },
  { args: ['run', '--target', 'reference@fixed', '--faults', 'F99', '--out', '/tmp/x'], says: /unknown fault F99: use one of F1, F2, F3, F4, F5, F6, F7, F8, F9, F10, F11, F12, F14, F15, F16, F17, NOOP/ },
  { args: ['run', '--target', 'reference@fixed', '--seed', 'x', '--out', '/tmp/x'], says: /--seed must be a whole number >= 0 \(at most 4294967295\), not "x"$/ },
  // Negative numbers: node's parser alone would take -3 for an option and call it ambiguous.
  { args: ['run', '--target', 'reference@fixed', '--seed', '-3', '--out', '/tmp/x'], says: /^ijiwaru: --seed must be a whole number >= 0 \(at most 4294967295\), not "-3"$/ },
  { args: ['run', '--target', 'reference@fixed', '--seed', '4294967296', '--out', '/tmp/x'], says: /--seed must be a whole number >= 0 \(at most 4294967295\), not "4294967296"$/ },
  { args: ['run', '--target', 'reference@fixed', '--time-scale', '-1', '--out', '/tmp/x'], says: /--time-scale must be a positive whole number, not "-1"$/ },
  { args: ['run', '--target', 'reference@fixed', '--suite', 'load', '--minutes', '-2', '--out', '/tmp/x'], says: /--minutes must be a positive number, not "-2"$/ },
  // Empty fault IDs are a typo, not "all faults".
  { args: ['run', '--target', 'reference@fixed', '--faults', 'F1,,F2', '--out', '/tmp/x'], says: /--faults "F1,,F2": fault ID 2 of 3 is empty/ },
  { args: ['run', '--target', 'reference@fixed', '--faults', '', '--out', '/tmp/x'], says: /--faults "": fault ID 1 of 1 is empty/ },
  // --out naming a file, or a folder under one.
  { args: ['run', '--target', 'reference@fixed', '--faults', 'F4', '--out', aFile], says: /--out .*a-file is a file, not a folder$/ },
  { args: ['run', '--target', 'reference@fixed', '--out', ''], says: /--out is empty: name the folder for the report and evidence$/ },
  { args: ['run', '--target', 'reference@fixed', '--faults', 'F4', '--out', path.join(aFile, 'run')], says: /--out .*a-file\/run: .*a-file is a file, not a folder$/ },
  { args: ['judge'], says: /^ijiwaru: DIR is required \(see 'ijiwaru judge --help'\)$/ },
  { args: ['judge', 'one', 'two'], says: /Unexpected argument 'two' \(see 'ijiwaru judge --help'\)$/ },
  { args: ['judge', out('never-ran')], says: /never-ran/ },
  { args: ['run', '--target', 'reference@fixed', '--suite', 'soak', '--out', '/tmp/x'], says: /unknown suite "soak": use one of load, limit, continuous/ },
  { args: ['run', '--target', 'reference@fixed', '--suite', 'load', '--profile', '2016-02-30', '--out', '/tmp/x'], says: /unknown profile "2016-02-30": use one of 2016-03-29, 2016-04-18/ },
  { args: ['run', '--target', 'reference@fixed', '--suite', 'load', '--faults', 'F1', '--out', '/tmp/x'], says: /--faults and --suite exclude each other/ },
  { args: ['run', '--target', 'reference@fixed', '--suite', 'load', '--minutes', '0', '--out', '/tmp/x'], says: /--minutes must be a positive number, not "0"/ },
  { args: ['run', '--target', 'reference@fixed', '--minutes', '3', '--out', '/tmp/x'], says: /--minutes needs --suite/ },
  { args: ['run', '--target', 'reference@fixed', '--reporter', 'junit', '--out', '/tmp/x'], says: /--reporter must be text or tap, not "junit"/ },
  // Exploration and its experiment files.
  { args: ['explore', '--out', '/tmp/x'], says: /^ijiwaru: --target is required \(see 'ijiwaru explore --help'\)$/ },
  { args: ['explore', '--target', 'reference@fixed', '--budget', '10 minutes', '--out', '/tmp/x'], says: /^ijiwaru: --budget must be a positive duration like 90s, 10m or 1h, not "10 minutes"$/ },
  { args: ['explore', '--target', 'reference@fixed', '--budget', '0s', '--out', '/tmp/x'], says: /--budget must be a positive duration/ },
  { args: ['explore', '--target', 'reference@2016-13', '--budget', '1m', '--out', out('explore-unknown')], says: /unknown reference variant "2016-13"/ },
  { args: ['run', '--target', 'reference@fixed', '--experiment', 'no-such-experiment.json', '--out', '/tmp/x'], says: /^ijiwaru: --experiment no-such-experiment\.json: no such file$/ },
  { args: ['run', '--target', 'reference@fixed', '--experiment', 'test/fixtures/experiments/bad-mode.json', '--out', '/tmp/x'], says: /bad-mode\.json: faults\.0\.fault\.mode: / },
  { args: ['run', '--target', 'reference@fixed', '--experiment', 'test/fixtures/experiments/outside.json', '--out', '/tmp/x'], says: /outside\.json: faults: every placement within the workload$/ },
  { args: ['run', '--target', 'reference@fixed', '--experiment', 'test/fixtures/experiments/record-off-batch.json', '--out', '/tmp/x'], says: /record-off-batch\.json: faults: a record only on a batch$/ },
  { args: ['run', '--target', 'reference@fixed', '--experiment', 'test/fixtures/experiments/unknown-link.json', '--out', '/tmp/x'], says: /unknown-link\.json: link "cs-9-distributor" is not in reference@fixed \(it has terminal-1, cs-1-distributor, / },
  { args: ['run', '--target', 'reference@fixed', '--experiment', 'test/fixtures/experiments/bad-mode.json', '--faults', 'F1', '--out', '/tmp/x'], says: /--experiment and --faults exclude each other/ },
  { args: ['run', '--target', 'reference@fixed', '--experiment', 'test/fixtures/experiments/edge-off-relay.json', '--out', '/tmp/x'], says: /edge-off-relay\.json: "terminal-1: latency=relayTimeoutMs" is not in the space of reference@fixed$/ },
  // Parameter sheets (F15): a broken file, an unknown parameter, nothing to compare, a suite.
  { args: ['run', '--target', 'reference@fixed', '--parameters', 'no-such-sheet.json', '--out', '/tmp/x'], says: /^ijiwaru: --parameters no-such-sheet\.json: no such file$/ },
  { args: ['run', '--target', 'reference@fixed', '--production-parameters', config('json-syntax.json'), '--out', '/tmp/x'], says: /--production-parameters .*json-syntax\.json: not valid JSON: / },
  { args: ['run', '--target', 'reference@fixed', '--parameters', config('valid.json'), '--out', '/tmp/x'], says: /--parameters .*valid\.json: target: expected a string \(parameters are environment values, at time scale 1\), got / },
  { args: ['run', '--target', 'reference@fixed', '--parameters', 'test/fixtures/sheets/typo.json', '--out', '/tmp/x'], says: /typo\.json: MONITOR_INTERVAL: expected a parameter of CONTRACT\.md 3/ },
  { args: ['run', '--target', 'reference@fixed', '--faults', 'F15', '--out', '/tmp/x'], says: /^ijiwaru: F15 compares the verdicts of other faults under the test and production parameter sheets: name them too \(for example --faults F1,F15\)$/ },
  { args: ['run', '--target', 'reference@fixed', '--suite', 'load', '--parameters', 'examples/sheets/production.json', '--out', '/tmp/x'], says: /--parameters is for mean tests, not --suite/ },
  { args: ['demo'], env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' }, says: /no Docker engine answers at unix:\/\/\/nonexistent/ },
  {
    args: ['setup', '--runtime', 'process'],
    env: { PATH: '/nonexistent', IJIWARU_CACHE: mkdtempSync(path.join(os.tmpdir(), 'ijiwaru-empty-cache-')) },
    says: /^ijiwaru: Go is missing: install Go/,
  },
  { args: ['faults', '--frob'], says: /Unknown option '--frob'.*'ijiwaru faults --help'/ },
  { args: ['faults', '--json=yes'], says: /Option '--json' does not take an argument/ },
  { args: ['targets', 'extra'], says: /Unexpected argument 'extra'.*'ijiwaru targets --help'/ },
  { args: ['run', '--target', 'reference@2016-04', '--time-scale', '0', '--out', '/tmp/x'], says: /--time-scale must be a positive whole number, not "0"/ },
  { args: ['run', '--target', 'reference@fixed', '--faults', 'F1,F42', '--out', '/tmp/x'], says: /unknown fault F42: use one of F1, F2, F3, F4, F5, F6, F7, F8, F9, F10, F11, F12, F14, F15, F16, F17, NOOP/ },
  { args: ['run', '--target', 'reference@2016-13', '--out', '/tmp/x'], says: /unknown reference variant "2016-13"/ },
  { args: ['run', '--target', 'acme@1.0', '--out', '/tmp/x'], says: /unknown target "acme": use one of reference$/ },
  // Broken config files of every kind, each named with the field at fault.
  { args: ['run', '--config', config('json-syntax.json'), '--out', '/tmp/x'], says: /json-syntax\.json: not valid JSON: / },
  { args: ['run', '--config', config('wrong-type.json'), '--out', '/tmp/x'], says: /wrong-type\.json: target\.components\.relay\.port: expected an integer 1-65535, got "abc"$/ },
  { args: ['run', '--config', config('unknown-key.json'), '--out', '/tmp/x'], says: /unknown-key\.json: target\.components\.relay\.prot: unknown key/ },
  { args: ['run', '--config', config('missing-field.json'), '--out', '/tmp/x'], says: /missing-field\.json: target\.operator: missing/ },
  { args: ['run', '--config', config('bad-port.json'), '--out', '/tmp/x'], says: /bad-port\.json: target\.components\.cardServer\.port: expected an integer 1-65535, got 70000$/ },
  { args: ['run', '--config', config('unknown-parameter.json'), '--out', '/tmp/x'], says: /unknown-parameter\.json: target\.parameters\.CS_BLOK_MS: expected a parameter of CONTRACT\.md 3/ },
  { args: ['run', '--config', config('bad-run-variant.json'), '--out', '/tmp/x'], says: /bad-run-variant\.json: run\.variant: expected a variant of the target \(1\.0\), got "2\.0"$/ },
  { args: ['run', '--config', config('throws.config.ts'), '--out', '/tmp/x'], says: /throws\.config\.ts: could not be loaded: ACME_REGISTRY is not set$/ },
  { args: ['run', '--config', config('no-default.config.ts'), '--out', '/tmp/x'], says: /no-default\.config\.ts: has no default export/ },
  { args: ['run', '--config', config('no-such-file.json'), '--out', '/tmp/x'], says: /no-such-file\.json: no such config file$/ },
  { args: ['targets', '--config', config('no-variants.json')], says: /no-variants\.json: target\.variants: expected at least one variant/ },
  { args: ['run', '--config', config('valid.json'), '--target', 'acme@2.0', '--out', '/tmp/x'], says: /unknown acme variant "2\.0": use one of 1\.0$/ },
  {
    args: ['run', '--config', config('valid.json'), '--target', 'acme@1.0', '--runtime', 'process', '--out', '/tmp/x'],
    says: /target "acme" of .*valid\.json runs images, which the process runtime cannot run: use --runtime docker$/,
  },
  // What only the engine can tell: it is missing, an image is nowhere, a component never gets ready.
  { args: ['run', '--config', config('valid.json'), '--target', 'acme@1.0', '--faults', 'F4', '--out', out('no-engine')], env: noEngine, says: /no Docker engine answers at unix:\/\/\/nonexistent/ },
  {
    args: ['run', '--config', config('unreachable-image.json'), '--out', out('unreachable')],
    says: /image ijiwaru-test\/no-such-image:1 is not on this machine and cannot be pulled: /,
    docker: { timeoutS: 150 },
  },
  {
    args: ['run', '--config', config('never-ready.json'), '--out', out('never-ready')],
    says: /cs-1 did not become ready within 2 s/,
    docker: { timeoutS: 120 },
  },
  // A time scale that shrinks a declared duration below 1 ms, refused once the system is built.
  {
    args: ['run', '--target', 'reference@fixed', '--faults', 'F4', '--time-scale', '1000000000', '--out', out('time-scale')],
    says: /time scale 1000000000 makes csSearchTimeoutMs .* ms, shorter than the 1 ms Node's timers resolve: use --time-scale 10000 or less$/,
    docker: { timeoutS: 60 },
  },
  // A run that could not judge its result is no pass: a load day too short for k6 to send anything.
  {
    args: ['run', '--target', 'reference@fixed', '--suite', 'load', '--minutes', '0.001', '--out', out('too-short')],
    says: /^ijiwaru: load could not be judged \(error\), which no gate may pass$/,
    docker: { timeoutS: 90 },
  },
];

function badInput(t: Test, input: (typeof badInputs)[number]) {
  t.test(`bad input: ijiwaru ${input.args.join(' ')}`, async (t) => {
    if (input.docker) t.setTimeout(input.docker.timeoutS * 1000);
    const result = await ijiwaru(input.args, input.env);
    t.equal(result.status, 2, 'exit status 2');
    const lines = result.stderr.split('\n').filter(Boolean);
    t.equal(lines.length, 1, 'exactly one line on stderr');
    t.match(lines[0], input.says);
    t.notMatch(result.stderr, /\n\s+at /, 'no stack trace');
  });
}

// What fails before any container starts runs two at a time (each is mostly Node starting up);
// what reaches the engine runs alone, its time limits not shared with a neighbour.
t.test('bad inputs refused before the engine', { jobs: 2 }, async (t) => {
  for (const input of badInputs.filter((input) => !input.docker)) badInput(t, input);
});
for (const input of badInputs.filter((input) => input.docker)) badInput(t, input);

t.test('--help lists every command, and each command has its own help', async (t) => {
  const commands = ['run', 'judge', 'demo', 'setup', 'clean', 'faults', 'targets'];
  const [top, ...own] = await Promise.all([ijiwaru(['--help']), ...commands.map((command) => ijiwaru([command, '--help']))]);
  t.equal(top?.status, 0);
  commands.forEach((command, i) => {
    t.match(top?.stdout, new RegExp(`\\n  ${command} `));
    t.equal(own[i]?.status, 0);
    t.match(own[i]?.stdout, new RegExp(`^ijiwaru ${command}`));
  });
});

t.test('ijiwaru faults: the catalog, F1-F17 and N1, with mean tests and suites', async (t) => {
  const listed = await ijiwaru(['faults']);
  t.equal(listed.status, 0);
  const lines = listed.stdout.trim().split('\n');
  t.match(lines[0], /^ID\s+TITLE\s+VIEWPOINTS\s+MEAN TEST\s+SUITES$/);
  t.same(lines.slice(1).map((line) => line.split(' ')[0]), [...Array.from({ length: 17 }, (_, i) => `F${i + 1}`), 'N1']);
  t.match(listed.stdout, /\nF2 +Timeout-versus-reset race frees unallocated memory +2 5 6 +yes +load limit continuous\n/);
  t.match(listed.stdout, /\nF17 +PINs handled by staff during outages +10 +yes +-\n/);
  t.match(listed.stdout, /\nF11 +Vendor boundary: job result misread +1 8 +yes +-\n/);
  t.match(listed.stdout, /\nF15 +Parameters that differ from the tested ones +3 N3 +yes +-\n/);
  const json = JSON.parse((await ijiwaru(['faults', '--json'])).stdout) as Array<{ id: string; meanTest: boolean; suites: string[] }>;
  t.same(json.find((row) => row.id === 'F5'), { id: 'F5', title: 'Accumulating thread names slow the card server', viewpoints: ['5', '7', 'N1'], meanTest: true, suites: ['continuous'] });
});

t.test("ijiwaru targets: the reference levels, and a config's variants", async (t) => {
  const listed = await ijiwaru(['targets']);
  t.equal(listed.status, 0);
  t.match(listed.stdout, /^TARGET\s+FIXES OR CHANGES\n/);
  for (const level of ['2015-10', '2016-01', '2016-03', '2016-04', '2016-07', '2016-09', 'fixed']) t.match(listed.stdout, new RegExp(`\\nreference@${level} +\\S`));
  const withConfig = await ijiwaru(['targets', '--config', 'examples/reference.config.json', '--json']);
  const rows = JSON.parse(withConfig.stdout) as Array<{ target: string; variant: string; description: string }>;
  t.equal(rows.filter((row) => row.target === 'reference-image').length, 7, "the config's seven variants after the reference's");
  t.match(rows.at(-1), { target: 'reference-image', variant: 'fixed', description: /CS block rule removed/ });
});

/** `ijiwaru ARGS` running, to be signalled or have its stdout closed while it runs. */
function started(args: string[]) {
  const child = spawn(process.execPath, [path.join(projectRoot, 'bin/ijiwaru.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const saw = (pattern: RegExp) =>
    new Promise<void>((resolve, reject) => {
      const look = () => pattern.test(stdout) && resolve();
      child.stdout.on('data', look);
      child.once('close', () => reject(new Error(`ended before ${pattern}: ${stdout}${stderr}`)));
      look();
    });
  const ended = new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) =>
    child.once('close', (status) => resolve({ status, stdout, stderr })),
  );
  return { child, saw, ended };
}

const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as { schema: string; results: Array<{ fault: string; verdict: string; summary: string }>; summary: Record<string, number> };

let interruptedRun = { status: null as number | null, stdout: '', stderr: '' };
t.test('Ctrl-C during a run: the fault stops, the rest are interrupted, the report is written, exit 130', { timeout: 120_000 }, async (t) => {
  const dir = out('interrupted');
  const run = started(['run', '--target', 'reference@fixed', '--faults', 'F4,F1', '--out', dir]);
  await run.saw(/F4 .*: starting reference@fixed/);
  // In the middle of the fault: its history already holds requests it sent.
  const history = path.join(dir, 'evidence', 'F4', 'history.jsonl');
  while (!(existsSync(history) && readFileSync(history, 'utf8').includes('"type":"request"'))) await new Promise((resolve) => setTimeout(resolve, 50));
  run.child.kill('SIGINT');
  const { status, stdout, stderr } = (interruptedRun = await run.ended);
  const { runId } = JSON.parse(readFileSync(path.join(dir, 'evidence', 'F4', 'view.json'), 'utf8')) as { runId: string };
  t.same(await leftovers(runId), { containers: [], networks: [], volumes: [], processes: [] }, `the engine lists nothing of run ${runId}`);
  t.equal(status, 130);
  t.equal(stderr, 'ijiwaru: interrupted by SIGINT: stopping the run and writing its report (SIGINT again stops at once)\n', 'one line on stderr');
  t.match(stdout, /\nF4  interrupted  .*interrupted by SIGINT\nF1  interrupted  not run: interrupted by SIGINT\n0 finding, 0 pass, 0 inconclusive, 0 error, 2 interrupted; report: /);
  const report = readJson(path.join(dir, 'report.json'));
  t.equal(report.schema, 'ijiwaru.report/2');
  t.same(report.results.map((result) => [result.fault, result.verdict]), [['F4', 'interrupted'], ['F1', 'interrupted']]);
  t.equal(report.summary.interrupted, 2);
  t.match(readFileSync(path.join(dir, 'junit.xml'), 'utf8'), /<testsuites name="ijiwaru" tests="2" failures="0" errors="2"/);
});

t.test('stdout closed during a run: it stops like an interrupted one, says why, exit 2', { timeout: 120_000 }, async (t) => {
  const dir = out('stdout-closed');
  const run = started(['run', '--target', 'reference@fixed', '--faults', 'F4', '--out', dir]);
  // Closed before its first line: the first write fails, whenever it comes.
  run.child.stdout.destroy();
  const { status, stderr } = await run.ended;
  t.equal(status, 2);
  t.equal(stderr, 'ijiwaru: stdout closed: stopping the run and writing its report\n', 'one line on stderr, no EPIPE crash');
  const report = readJson(path.join(dir, 'report.json'));
  t.match(report.results, [{ fault: 'F4', verdict: 'interrupted', summary: /stdout closed/ }]);
});

t.test('ijiwaru judge: the same table and exit status as the run, from its folder alone', async (t) => {
  // The interrupted run above: judge keeps what was never judged, and says so with the same 130.
  const dir = out('interrupted');
  const table = (stdout: string) => stdout.split('\n').filter((line) => line !== '' && !line.startsWith('['));
  const judged = await ijiwaru(['judge', dir]);
  t.equal(judged.status, 130, 'interrupted results: 130, as the run exited');
  t.equal(judged.stderr, 'ijiwaru: F4, F1 interrupted before a verdict\n', 'one line on stderr says which');
  t.same(table(judged.stdout), [
    ...table(interruptedRun.stdout).slice(0, -1),
    `0 finding, 0 pass, 0 inconclusive, 0 error, 2 interrupted; evidence: ${path.join(dir, 'evidence')}`,
  ]);
  const tap = await ijiwaru(['judge', dir, '--reporter', 'tap', '--strict']);
  t.equal(tap.status, 130);
  t.match(tap.stdout, /^TAP version 14\n# ijiwaru mean reference@fixed seed 1 time scale 60\n1\.\.2\nnot ok 1 - F4 /);
});

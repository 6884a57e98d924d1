// The config file without a container engine: every kind of broken file gives one line naming
// the file and the field, a valid one becomes a target of the contract's shape, and the
// hand-written example reproduces the reference levels' figures from the outside.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { resolveRun } from '../harness/cli/run-options.ts';
import { findConfig, loadConfig } from '../harness/config/load.ts';
import { configTarget } from '../harness/config/target.ts';
import { CONTRACT_DEFAULTS } from '../harness/contract/parameters.ts';
import { HarnessError } from '../harness/errors.ts';
import { newRunId } from '../harness/runtime/create.ts';
import { ProcessRuntime } from '../harness/runtime/process.ts';
import { projectRoot } from '../harness/paths.ts';
import type { BuildOptions } from '../harness/target/types.ts';
import { LEVELS } from '../targets/reference/lib/levels.ts';
import reference from '../targets/reference/target.ts';

const fixture = (name: string) => path.join('test/fixtures/configs', name);

const broken: Array<[file: string, says: string]> = [
  ['json-syntax.json', 'not valid JSON: Expected double-quoted property name'],
  ['wrong-type.json', 'target.components.relay.port: expected an integer 1-65535, got "abc"'],
  ['bad-port.json', 'target.components.cardServer.port: expected an integer 1-65535, got 70000'],
  ['unknown-key.json', 'target.components.relay.prot: unknown key (expected image, command, port, environment, memoryLimitMiB, readyTimeoutS)'],
  ['missing-field.json', 'target.operator: missing (expected an object with relayPollNow, relayStatus)'],
  ['unknown-parameter.json', 'target.parameters.CS_BLOK_MS: expected a parameter of CONTRACT.md 3 (CS_POOL_SIZE, '],
  ['parameter-not-string.json', 'target.parameters.CS_BLOCK_MS: expected a string (parameters are environment values, at time scale 1), got 60000'],
  ['no-variants.json', 'target.variants: expected at least one variant, got {}'],
  ['bad-run-variant.json', 'run.variant: expected a variant of the target (1.0), got "2.0"'],
  ['bad-run-fault.json', 'run.faults.0: expected a fault ID (F1, F2, F3, F4, F5, F6, F7, F8, F9, F10, F11, F12, F14, F15, F16, F17), got "F99"'],
  ['reserved-name.json', 'target.name: expected a name other than "reference" (the built-in target), got "reference"'],
  ['empty-command.json', 'target.components.cs.command: expected an argv with at least the program, got []'],
  ['throws.config.ts', 'could not be loaded: ACME_REGISTRY is not set'],
  ['no-default.config.ts', 'has no default export'],
  ['no-such-file.json', 'no such config file'],
];

for (const [file, says] of broken) {
  t.test(`${file}: one line naming the file and what is wrong`, async (t) => {
    const error = await loadConfig(fixture(file), projectRoot).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    t.ok(error instanceof HarnessError, 'an expected error');
    t.equal((error as HarnessError).kind, 'usage');
    const message = (error as Error).message;
    t.ok(message.startsWith(`${fixture(file)}: ${says}`), message);
    t.notMatch(message, /\n/, 'one line');
  });
}

t.test('the same target as JSON and as TypeScript', async (t) => {
  t.same(await loadConfig(fixture('valid.config.ts'), projectRoot), await loadConfig(fixture('valid.json'), projectRoot));
});

t.test('a config in the working directory is found; two are refused', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ijiwaru-config-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  t.equal(findConfig(undefined, dir), undefined, 'none');
  t.equal(findConfig('named.json', dir), 'named.json', 'the named one wins');
  writeFileSync(path.join(dir, 'ijiwaru.config.json'), '{}');
  t.equal(findConfig(undefined, dir), 'ijiwaru.config.json');
  writeFileSync(path.join(dir, 'ijiwaru.config.ts'), 'export default {};');
  t.throws(() => findConfig(undefined, dir), /both ijiwaru\.config\.ts and ijiwaru\.config\.json/);
});

const build = (variant: string, parameters: Record<string, string> = {}): BuildOptions => ({
  variant,
  timeScale: 60,
  municipalities: 2,
  relays: 2,
  cardServers: 1,
  parameters,
});

t.test('the example config, level by level, gives what the reference gives', async (t) => {
  const config = await loadConfig('examples/reference.config.json', projectRoot);
  const target = configTarget(config.target);
  t.same(target.variants, LEVELS, 'a variant per reference level');
  // The run's own parameters (a fault's operational setting) reach the sheet of both alike.
  const run = { HSM_WATCHDOG_MS: '24000' };
  for (const level of LEVELS) {
    const own = target.build(build(level, run)).view;
    const theirs = reference.build(build(level, run)).view;
    const { parameters: ownSheet, ...ownRest } = own;
    const { parameters: theirSheet, ...theirRest } = theirs;
    t.same(ownRest, theirRest, `${level}: names, links, ports, timing, operator commands, defaults`);
    // Where the two builds write state differs (a container's own /tmp, the run's folder); every
    // figure a level changes, and the run's, must be the same.
    for (const name of ['TIME_SCALE', 'RELAY_MAX_CONNECTIONS', 'HSM_BOARDS', 'CS_CARD_TIME_MS', 'CARD_SERVER_MEMORY_MIB', 'HSM_WATCHDOG_MS']) {
      t.equal(ownSheet[name], theirSheet[name], `${level}: ${name}`);
    }
  }
});

t.test('the sheet: the contract defaults beside what the components got', async (t) => {
  const config = await loadConfig('examples/reference.config.json', projectRoot);
  const view = configTarget(config.target).build(build('2016-03')).view;
  t.same(view.defaults, CONTRACT_DEFAULTS);
  t.equal(view.parameters.HSM_BOARDS, '1', 'the variant over the target');
  t.equal(view.parameters.CARD_SERVER_MEMORY_MIB, '2048', "the variant's memory limit");
  t.equal(view.parameters.TIME_SCALE, '60', "the run's time scale");
  t.equal(view.timing.csBlockMs, 1000, 'declared durations at the run time scale');
});

t.test('the process runtime refuses an image in one line', async (t) => {
  const logDir = mkdtempSync(path.join(os.tmpdir(), 'ijiwaru-config-process-'));
  const runtime = new ProcessRuntime({ runId: newRunId(), logDir });
  t.teardown(async () => {
    await runtime.dispose();
    rmSync(logDir, { recursive: true, force: true });
  });
  await t.rejects(
    runtime.start({ name: 'relay-1', program: { image: 'vendor/relay:1', argv: ['relay'] }, ports: [8300], ready: { kind: 'log', pattern: /ready/ } }),
    { name: 'HarnessError', kind: 'usage', message: /relay-1 runs the image vendor\/relay:1, which only the docker runtime can run/ },
  );
});

t.test("a run's flags over the config's run defaults", async (t) => {
  const config = 'examples/reference.config.json';
  const say = () => undefined;
  t.match(await resolveRun({ config }, say), {
    kind: 'mean',
    options: { target: 'reference-image@2016-04', faults: ['F1', 'F2', 'F3', 'F4'], seed: 1, timeScale: 60, runtime: 'docker', outDir: path.resolve('runs/reference-image') },
  });
  t.match(await resolveRun({ config, target: 'reference-image@fixed', faults: 'f3', seed: '5', out: '/tmp/elsewhere' }, say), {
    kind: 'mean',
    options: { target: 'reference-image@fixed', faults: ['F3'], seed: 5, outDir: '/tmp/elsewhere' },
  });
  t.match(await resolveRun({ config, suite: 'load' }, say), { kind: 'suite', options: { suite: 'load', timeScale: 60, minutes: 10, profile: '2016-03-29' } });
  t.match(await resolveRun({ config, target: 'reference@fixed', runtime: 'process' }, say), { options: { target: 'reference@fixed', runtime: 'process' } }, 'the built-in target still runs as processes');
  await t.rejects(resolveRun({ config, runtime: 'process' }, say), { kind: 'usage', message: /runs images, which the process runtime cannot run/ });
});

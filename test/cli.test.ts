import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { ijiwaru } from './helpers/cli.ts';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'ijiwaru-cli-'));
t.teardown(() => rmSync(scratch, { recursive: true, force: true }));
const config = (name: string) => `test/fixtures/configs/${name}`;
const out = (name: string) => path.join(scratch, name);
const noEngine = { DOCKER_HOST: 'unix:///nonexistent/docker.sock' };

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
  { args: ['run', '--target', 'reference@fixed', '--faults', 'F99', '--out', '/tmp/x'], says: /unknown fault F99: use one of F1, F2, F3, F4/ },
  { args: ['run', '--target', 'reference@fixed', '--seed', 'x', '--out', '/tmp/x'], says: /--seed must be a positive whole number/ },
  { args: ['run', '--target', 'reference@fixed', '--suite', 'soak', '--out', '/tmp/x'], says: /unknown suite "soak": use one of load, limit, continuous/ },
  { args: ['run', '--target', 'reference@fixed', '--suite', 'load', '--profile', '2016-02-30', '--out', '/tmp/x'], says: /unknown profile "2016-02-30": use one of 2016-03-29, 2016-04-18/ },
  { args: ['run', '--target', 'reference@fixed', '--suite', 'load', '--faults', 'F1', '--out', '/tmp/x'], says: /--faults and --suite exclude each other/ },
  { args: ['run', '--target', 'reference@fixed', '--suite', 'load', '--minutes', '0', '--out', '/tmp/x'], says: /--minutes must be a positive number, not "0"/ },
  { args: ['run', '--target', 'reference@fixed', '--minutes', '3', '--out', '/tmp/x'], says: /--minutes needs --suite/ },
  { args: ['run', '--target', 'reference@fixed', '--reporter', 'junit', '--out', '/tmp/x'], says: /--reporter must be text or tap, not "junit"/ },
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
  { args: ['run', '--target', 'reference@fixed', '--faults', 'F1,F42', '--out', '/tmp/x'], says: /unknown fault F42: use one of F1, F2, F3, F4/ },
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
];

for (const input of badInputs) {
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

t.test('--help lists every command, and each command has its own help', async (t) => {
  const top = await ijiwaru(['--help']);
  t.equal(top.status, 0);
  for (const command of ['run', 'demo', 'setup', 'clean', 'faults', 'targets']) {
    t.match(top.stdout, new RegExp(`\\n  ${command} `));
    const own = await ijiwaru([command, '--help']);
    t.equal(own.status, 0);
    t.match(own.stdout, new RegExp(`^ijiwaru ${command}`));
  }
});

t.test('ijiwaru faults: the catalog, F1-F17 and N1, with mean tests and suites', async (t) => {
  const listed = await ijiwaru(['faults']);
  t.equal(listed.status, 0);
  const lines = listed.stdout.trim().split('\n');
  t.match(lines[0], /^ID\s+TITLE\s+VIEWPOINTS\s+MEAN TEST\s+SUITES$/);
  t.same(lines.slice(1).map((line) => line.split(' ')[0]), [...Array.from({ length: 17 }, (_, i) => `F${i + 1}`), 'N1']);
  t.match(listed.stdout, /\nF2 +Timeout-versus-reset race frees unallocated memory +2 5 6 +yes +load limit continuous\n/);
  t.match(listed.stdout, /\nF17 +PINs handled by staff during outages +10 +- +-\n/);
  const json = JSON.parse((await ijiwaru(['faults', '--json'])).stdout) as Array<{ id: string; meanTest: boolean; suites: string[] }>;
  t.same(json.find((row) => row.id === 'F5'), { id: 'F5', title: 'Accumulating thread names slow the card server', viewpoints: ['5', '7', 'N1'], meanTest: false, suites: ['continuous'] });
});

t.test("ijiwaru targets: the reference levels, and a config's variants", async (t) => {
  const listed = await ijiwaru(['targets']);
  t.equal(listed.status, 0);
  t.match(listed.stdout, /^TARGET\s+FIXES OR CHANGES\n/);
  for (const level of ['2015-10', '2016-01', '2016-03', '2016-04', '2016-07', 'fixed']) t.match(listed.stdout, new RegExp(`\\nreference@${level} +\\S`));
  const withConfig = await ijiwaru(['targets', '--config', 'examples/reference.config.json', '--json']);
  const rows = JSON.parse(withConfig.stdout) as Array<{ target: string; variant: string; description: string }>;
  t.equal(rows.filter((row) => row.target === 'reference-image').length, 6, "the config's six variants after the reference's");
  t.match(rows.at(-1), { target: 'reference-image', variant: 'fixed', description: /CS block rule removed/ });
});

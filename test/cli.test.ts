import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { ijiwaru } from './helpers/cli.ts';

const badInputs: Array<{ args: string[]; env?: NodeJS.ProcessEnv; says: RegExp }> = [
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
  { args: ['demo'], env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' }, says: /no Docker engine answers at unix:\/\/\/nonexistent/ },
  {
    args: ['setup', '--runtime', 'process'],
    env: { PATH: '/nonexistent', IJIWARU_CACHE: mkdtempSync(path.join(os.tmpdir(), 'ijiwaru-empty-cache-')) },
    says: /^ijiwaru: Go is missing: install Go/,
  },
];

for (const input of badInputs) {
  t.test(`bad input: ijiwaru ${input.args.join(' ')}`, async (t) => {
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
  for (const command of ['run', 'demo', 'setup', 'clean']) {
    t.match(top.stdout, new RegExp(`\\n  ${command} `));
    const own = await ijiwaru([command, '--help']);
    t.equal(own.status, 0);
    t.match(own.stdout, new RegExp(`^ijiwaru ${command}`));
  }
});

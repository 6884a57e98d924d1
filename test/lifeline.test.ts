// A run's lifeline: it is stopped (its controller aborted, one line on stderr) when the process
// that started it dies or when its stdout can no longer be written. Exercised on lifeline()
// itself in small child processes, no run and no container engine.
import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import t from 'tap';
import { lifeline, LifelineCut } from '../harness/cli/lifeline.ts';

const LIFELINE = path.join(import.meta.dirname, '../harness/cli/lifeline.ts');

/**
 * A child holding a lifeline: says `ready` on stdout, then (with `chatty`) writes to stdout every
 * 20 ms like a run's progress; when its controller aborts it says `aborted: <reason>` on stderr
 * (stdout may be gone), writes to stdout twice more (which must not throw) and exits 0. It gives
 * up after 5 s with exit 1.
 */
const childScript = (chatty: boolean) => `
import { lifeline, LifelineCut } from ${JSON.stringify(LIFELINE)};
const controller = new AbortController();
using _line = lifeline(controller);
process.stdout.write('ready\\n');
${chatty ? "const chat = setInterval(() => process.stdout.write('progress\\\\n'), 20);" : ''}
const giveUp = setTimeout(() => process.exit(1), 5000);
await new Promise((resolve) => controller.signal.addEventListener('abort', resolve));
const reason = controller.signal.reason;
process.stderr.write('aborted: ' + reason.message + (reason instanceof LifelineCut ? ' (cut)' : '') + '\\n');
process.stdout.write('after the cut 1\\n');
process.stdout.write('after the cut 2\\n');
${chatty ? 'clearInterval(chat);' : ''}
clearTimeout(giveUp);
await new Promise((resolve) => setTimeout(resolve, 50));
`;

const nodeArgs = (chatty: boolean) => ['--input-type=module', '-e', childScript(chatty)];

function lines(stream: NodeJS.ReadableStream): AsyncIterator<string> {
  return createInterface({ input: stream })[Symbol.asyncIterator]();
}

t.test('the parent dies: aborted with "parent process ended" within about 2 s', async (t) => {
  // A shell runs the child in the background and waits: killing the shell orphans the child,
  // whose stdout and stderr (inherited through the shell) still reach this test.
  const quoted = [process.execPath, ...nodeArgs(false)].map((arg) => `'${arg.replace(/'/g, `'\\''`)}'`).join(' ');
  const shell = spawn('sh', ['-c', `${quoted} & wait`], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  shell.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const closed = new Promise<void>((resolve) => shell.stdout.once('close', () => resolve()));
  const out = lines(shell.stdout);
  t.equal((await out.next()).value, 'ready');
  const killed = performance.now();
  shell.kill('SIGKILL');
  await closed;
  const tookMs = performance.now() - killed;
  // stderr closes with the child too; give its last chunk a moment.
  await new Promise((resolve) => setTimeout(resolve, 20));
  t.ok(tookMs < 2000, `aborted ${Math.round(tookMs)} ms after the parent died`);
  t.match(stderr, /^ijiwaru: parent process ended: stopping the run and writing its report\n/, 'one line on stderr says why');
  t.match(stderr, /\naborted: parent process ended \(cut\)\n/);
});

t.test('stdout closes: aborted with "stdout closed", later writes do not throw', async (t) => {
  const child = spawn(process.execPath, nodeArgs(true), { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('close', (status) => resolve(status)));
  t.equal((await lines(child.stdout).next()).value, 'ready');
  const closed = performance.now();
  child.stdout.destroy();
  const status = await exited;
  t.ok(performance.now() - closed < 2000, 'within 2 s');
  t.equal(status, 0, 'no uncaught EPIPE: the child ended on its own');
  t.equal(stderr, 'ijiwaru: stdout closed: stopping the run and writing its report\naborted: stdout closed (cut)\n');
});

t.test('a lifeline alone keeps no process alive', async (t) => {
  const script = `import { lifeline } from ${JSON.stringify(LIFELINE)};\nlifeline(new AbortController());\nprocess.stdout.write('done\\n');`;
  const began = performance.now();
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const status = await new Promise<number | null>((resolve) => child.once('close', resolve));
  t.equal(status, 0);
  t.ok(performance.now() - began < 1500, 'exits at once');
});

t.test('in process: a changed parent ID aborts once; disposed, nothing does', async (t) => {
  let ppid = 100;
  const said: string[] = [];
  const output = new EventEmitter();
  const controller = new AbortController();
  const line = lifeline(controller, { ppid: () => ppid, say: (text) => said.push(text), output, pollMs: 5 });
  await new Promise((resolve) => setTimeout(resolve, 20));
  t.notOk(controller.signal.aborted, 'the same parent: nothing happens');
  ppid = 1;
  await new Promise((resolve) => setTimeout(resolve, 20));
  t.ok(controller.signal.reason instanceof LifelineCut);
  t.equal((controller.signal.reason as Error).message, 'parent process ended');
  output.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
  t.same(said, ['parent process ended: stopping the run and writing its report'], 'said once, whatever follows');
  line[Symbol.dispose]();
  t.equal(output.listenerCount('error'), 1, 'one listener stays: a later failed write must not throw');
  output.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));

  const quiet = new AbortController();
  const idle = new EventEmitter();
  const disposed = lifeline(quiet, { ppid: () => ppid++, say: () => t.fail('said something'), output: idle, pollMs: 5 });
  disposed[Symbol.dispose]();
  await new Promise((resolve) => setTimeout(resolve, 20));
  idle.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
  t.notOk(quiet.signal.aborted, 'disposed: neither a changed parent nor a failed output aborts');
});

t.test('in process: an error on the output aborts with "stdout closed", its cause kept', async (t) => {
  const output = new EventEmitter();
  const controller = new AbortController();
  using _line = lifeline(controller, { ppid: () => 7, say: () => {}, output });
  const epipe = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
  output.emit('error', epipe);
  t.equal((controller.signal.reason as Error).message, 'stdout closed');
  t.equal((controller.signal.reason as Error).cause, epipe);
});

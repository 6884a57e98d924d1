import { spawn } from 'node:child_process';
import path from 'node:path';
import t, { type Test } from 'tap';
import { newRunId } from '../harness/runtime/create.ts';
import { projectRoot } from '../harness/paths.ts';
import { ijiwaru } from './helpers/cli.ts';
import { leftovers } from './helpers/leftovers.ts';

const HOLD = path.join(projectRoot, 'test/fixtures/hold-topology.ts');

interface Child {
  ready: Promise<void>;
  exited: Promise<number | null>;
  signal(signal: NodeJS.Signals): void;
}

function startHolder(kind: string, mode: string, runId: string): Child {
  const child = spawn(process.execPath, [HOLD, kind, mode, runId], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(`ready ${runId}`)) resolve();
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`holder exited ${code} before ready: ${output}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));
  return { ready, exited, signal: (signal) => child.kill(signal) };
}

const nothing = { containers: [], networks: [], volumes: [], processes: [] };

/** A run that is up (the engine or the OS lists something of it), ready to be signalled. */
async function runningHolder(t: Test, kind: string): Promise<{ runId: string; child: Child }> {
  const runId = newRunId();
  const child = startHolder(kind, 'hold', runId);
  await child.ready;
  const up = await leftovers(runId);
  t.ok(up.containers.length + up.processes.length > 0, 'the run is up');
  return { runId, child };
}

for (const kind of ['docker', 'process']) {
  t.test(`${kind}: nothing is left after a normal exit`, async (t) => {
    const runId = newRunId();
    const child = startHolder(kind, 'exit', runId);
    await child.ready;
    t.equal(await child.exited, 0);
    t.same(await leftovers(runId), nothing);
  });

  t.test(`${kind}: nothing is left after SIGINT in the middle of a run`, async (t) => {
    const { runId, child } = await runningHolder(t, kind);
    child.signal('SIGINT');
    t.equal(await child.exited, 130);
    t.same(await leftovers(runId), nothing);
  });

  t.test(`${kind}: nothing is left after an uncaught error`, async (t) => {
    const runId = newRunId();
    const child = startHolder(kind, 'crash', runId);
    await child.ready;
    t.equal(await child.exited, 2);
    t.same(await leftovers(runId), nothing);
  });

  t.test(`${kind}: ijiwaru clean removes what a SIGKILLed run left`, async (t) => {
    const { runId, child } = await runningHolder(t, kind);
    child.signal('SIGKILL');
    await child.exited;
    const left = await leftovers(runId);
    t.ok(left.containers.length + left.processes.length > 0, 'SIGKILL leaves the run behind');
    t.equal((await ijiwaru(['clean', '--run', runId])).status, 0);
    t.same(await leftovers(runId), nothing);
  });
}

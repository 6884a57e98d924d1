import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { HarnessError } from '../harness/errors.ts';
import { createRuntime, newRunId } from '../harness/runtime/create.ts';
import { Topology } from '../harness/topology/topology.ts';
import { leftovers } from './helpers/leftovers.ts';

const appDir = path.join(import.meta.dirname, '../fixtures/echo');

for (const kind of ['docker', 'process'] as const) {
  t.test(`${kind}: a component that never gets ready is a one-line error and leaves nothing`, async (t) => {
    const runId = newRunId();
    const runtime = await createRuntime(kind, { runId, logDir: path.join(os.tmpdir(), `ijiwaru-${runId}`) });
    const topology = new Topology()
      .component('healthy', () => ({
        program: { executable: 'node', args: ['back.ts'], appDir },
        ports: [8080],
        ready: { kind: 'log', pattern: /"event":"ready"/ },
      }))
      .component('silent', () => ({
        program: { executable: 'node', args: ['back.ts'], appDir },
        ports: [8080],
        ready: { kind: 'log', pattern: /a line this program never prints/ },
        readyTimeoutMs: 1500,
      }));
    const error = await topology.start(runtime).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    t.ok(error instanceof HarnessError, 'an expected error, not a crash');
    t.equal((error as HarnessError).kind, 'target-not-ready');
    t.match((error as Error).message, /^silent did not become ready within 1\.5 s/);
    t.same(await leftovers(runId), { containers: [], networks: [], volumes: [], processes: [] });
  });
}

// F17's scanner against planted canaries in every kind of place it scans, on a running reference
// `fixed` (which writes no PIN of its own): a component's log, the CS's chip files, the card
// server's database in the shared volume, and a file a component wrote elsewhere in its container.
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { canaryScans, scanForCanaries } from '../../faults/kit/canaries.ts';
import { HarnessClient } from '../../harness/history/client.ts';
import { History } from '../../harness/history/history.ts';
import { createRuntime } from '../../harness/runtime/create.ts';
import { linkNames, referenceTopology } from '../../targets/reference/topology.ts';

const CANARIES = ['LOGLINE2345ABC', 'CHIPFILE6789XY', 'DATABASE234QRS', 'ELSEWHERE56TUV'];

t.test('the scanner finds canaries planted in each kind of place', async (t) => {
  const runtime = await createRuntime('docker', { logDir: path.join(os.tmpdir(), 'ijiwaru-f17-scanner') });
  // No timer of the system may decide this test: generous timeouts, as an operator sets them.
  const parameters = { MONITOR_INTERVAL_MS: String(1e12), CS_SEARCH_TIMEOUT_MS: '600000', CS_REQUEST_TIMEOUT_MS: '600000', RELAY_TIMEOUT_MS: '600000' };
  const topology = await referenceTopology({ level: 'fixed', timeScale: 100, relays: 1, parameters }).start(runtime);
  const history = new History();
  const client = new HarnessClient(history, 'terminal', { headersMs: 10_000, bodyMs: 10_000 });
  t.teardown(async () => {
    history.close();
    await client.close();
    await topology.dispose();
  });
  const terminal = () => topology.entry(linkNames.terminal(1));
  const send = async (op: string, urlPath: string, body?: unknown) => {
    const reply = await client.send({ op, target: 'terminal-1', endpoint: terminal, method: body === undefined ? 'GET' : 'POST', path: urlPath, body });
    t.equal(reply.operation.outcome, 'ok', `${op}: ${reply.body ?? reply.operation.code}`);
  };
  await send('search', `/search?residentCode=R1&requestId=r-${CANARIES[0]}`);
  await send('pre-issue', '/pre-issue', { requestId: 'r2', cardId: `card-${CANARIES[1]}`, residentCode: 'R2' });
  await send('move', '/move', { requestId: 'r3', residentCode: 'R2', newAddress: `1-2 ${CANARIES[2]}` });
  const planted = await topology.component('card-server-1').exec(['node', '-e', `require('node:fs').writeFileSync('/tmp/planted.txt', 'first\\n${CANARIES[3]}\\n')`]);
  t.equal(planted.exitCode, 0, `written in the card server's container (${planted.output.trim()})`);

  await scanForCanaries(topology, history, ['cs-1', 'relay-1', 'card-server-1'], CANARIES);
  const { scanned, hits } = canaryScans(history.recorded);
  t.equal(scanned.size, 3, 'every component scanned');
  const at = (canary: number) => hits.filter((hit) => hit.canary === canary);
  t.ok(at(0).some((hit) => hit.component === 'cs-1' && hit.place === 'log'), `a log line: ${JSON.stringify(at(0))}`);
  t.ok(at(1).some((hit) => hit.component === 'cs-1' && hit.place === 'file' && hit.file.includes(CANARIES[1] ?? '')), `the CS's chip file: ${JSON.stringify(at(1))}`);
  t.ok(at(2).some((hit) => hit.place === 'file' && hit.file.startsWith('/ijiwaru/shared/')), `the card server's database: ${JSON.stringify(at(2))}`);
  t.match(at(3), [{ component: 'card-server-1', place: 'file', file: '/tmp/planted.txt', line: 2 }], 'a file the component wrote in its container, by line');
});

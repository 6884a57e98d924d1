// Contract tests: every reference level on the docker runtime, driven only through
// targets/CONTRACT.md: the terminal API of the CS, operator commands, and the oracles' queries.
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { HarnessClient } from '../../harness/history/client.ts';
import { History } from '../../harness/history/history.ts';
import { createRuntime } from '../../harness/runtime/create.ts';
import { LEVELS } from '../../targets/reference/lib/levels.ts';
import { CARD_SERVER_PORT, CS_PORT, linkNames, referenceTopology } from '../../targets/reference/topology.ts';

// Fast enough for seconds per level, slow enough that a search (timeout 100 ms here) never races the card server.
const TIME_SCALE = 100;

for (const level of LEVELS) {
  t.test(`reference@${level} meets the contract`, async (t) => {
    const runtime = await createRuntime('docker', { logDir: path.join(os.tmpdir(), `ijiwaru-contract-${level}`) });
    const topology = await referenceTopology({
      level,
      timeScale: TIME_SCALE,
      // The monitor's schedule would make F1 possible here; the contract is tested without it.
      parameters: { MONITOR_INTERVAL_MS: String(1e12) },
    }).start(runtime);
    const history = new History();
    const client = new HarnessClient(history, 'terminal', { headersMs: 10_000, bodyMs: 10_000 });
    t.teardown(async () => {
      history.close();
      await client.close();
      await topology.dispose();
    });
    const terminal = () => topology.entry(linkNames.terminal(1));
    const cardServer = () => topology.component('card-server-1').endpoint(CARD_SERVER_PORT);
    const cs = () => topology.component('cs-1').endpoint(CS_PORT);
    const call = async (op: string, method: 'GET' | 'POST', urlPath: string, body?: unknown, endpoint = terminal) => {
      const reply = await client.send({ op, target: 'terminal-1', endpoint, method, path: urlPath, body });
      t.equal(reply.operation.outcome, 'ok', `${op}: ${reply.body ?? reply.operation.code}`);
      return JSON.parse(reply.body ?? '{}') as Record<string, unknown>;
    };

    const cardId = `card-${level}`;
    const pre = await call('pre-issue', 'POST', '/pre-issue', { requestId: `${level}-r1`, cardId, residentCode: 'R0001' });
    t.equal(pre.status, 'pre-issued');
    t.match(await call('ic', 'GET', `/ic/${cardId}`, undefined, cs), { state: 'written' });
    t.match(await call('card', 'GET', `/cards/${cardId}`, undefined, cardServer), { cardId, residentCode: 'R0001', status: 'pre-issued' });

    t.match(await call('issue', 'POST', '/issue', { requestId: `${level}-r2`, cardId }), { cardId, status: 'issued' });
    t.match(await call('ic', 'GET', `/ic/${cardId}`, undefined, cs), { state: 'issued' });
    t.match(await call('card', 'GET', `/cards/${cardId}`, undefined, cardServer), { status: 'issued' });

    t.match(await call('move', 'POST', '/move', { requestId: `${level}-r3`, residentCode: 'R0001', newAddress: '東京都千代田区1-1' }), { updated: 1 });
    const found = await call('search', 'GET', '/search?residentCode=R0001');
    t.match(found, { cards: [{ cardId }] });
    const certificate = await call('certificate-change', 'POST', '/certificate-change', {
      requestId: `${level}-r4`,
      cardId,
      oldAddress: '東京都千代田区1-1',
      newAddress: '大阪府大阪市2-2',
    });
    t.ok(certificate.serial, 'a new certificate serial');

    const relay = topology.component('relay-1');
    const started = await relay.exec(['node', 'relay-ctl.ts', 'batch-start', `b-${level}`, 'm1', '5']);
    t.equal(started.exitCode, 0, started.output);
    let status: Record<string, unknown> = {};
    for (let i = 0; i < 100 && status.status !== 'finished'; i++) {
      status = JSON.parse((await relay.exec(['node', 'relay-ctl.ts', 'batch-status', `b-${level}`])).output) as Record<string, unknown>;
      if (status.status !== 'finished') await new Promise((resolve) => setTimeout(resolve, 100));
    }
    t.match(status, { status: 'finished', records: 5, acknowledged: 5 });
    t.match(await call('notices', 'GET', '/notices?municipality=m1', undefined, cardServer), { notices: [{ batchId: `b-${level}`, count: 5 }] });
    t.equal(history.openCount, 0);
  });
}

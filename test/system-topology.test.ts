// The system every target runs as (harness/target/system.ts): each relay linked to every card
// server (its own first, in CARD_SERVER and CARD_SERVERS), the distributor's opt-in health checks
// taking a dead relay out of the rotation (on the process runtime), and the run's shared folder,
// where two card servers keep one database (on both runtimes).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import t from 'tap';
import { runCommand } from '../harness/command.ts';
import { createRuntime, newRunId } from '../harness/runtime/create.ts';
import type { ProcessRuntime } from '../harness/runtime/process.ts';
import { RUN_LABEL, RUNTIME_KINDS } from '../harness/runtime/types.ts';
import { HAPROXY_PATH } from '../harness/setup/tools.ts';
import { systemTopology, systemView } from '../harness/target/system.ts';
import { DISTRIBUTOR_PORT, haproxyConfig } from '../harness/topology/haproxy.ts';
import type { StartedTopology } from '../harness/topology/topology.ts';
import { CARD_SERVER_PORT, REFERENCE_APP_DIR, requestJson, scratchRuntime, until } from './helpers/target-tests.ts';

t.test('the distributor: without health checks as in 2016, with them an HTTP check of each relay; both valid to HAProxy', async (t) => {
  const relays = ['10.0.0.1:21001', '10.0.0.2:21002'];
  const plain = haproxyConfig({ relays });
  t.notMatch(plain, /check|httpchk/, 'no check unless asked: the relays alone decide, their caps included (F3)');
  t.match(plain, /\n {4}server relay-1 10\.0\.0\.1:21001\n {4}server relay-2 10\.0\.0\.2:21002\n/);
  const checked = haproxyConfig({ relays, healthChecks: true, maxconnPerRelay: 5 });
  t.match(checked, /option httpchk GET \/health\n {4}http-check expect status 200\n {4}timeout check 300ms\n/);
  t.match(checked, /server relay-2 10\.0\.0\.2:21002 maxconn 5 check inter 100ms fall 2 rise 2 on-marked-down shutdown-sessions\n/);
  for (const [name, config] of [['plain', plain], ['checked', checked]]) {
    const file = path.join(t.testdir(), `${name}.cfg`);
    writeFileSync(file, config.replaceAll('{bind}', '127.0.0.1'));
    t.doesNotThrow(() => execFileSync(HAPROXY_PATH, ['-c', '-q', '-f', file], { stdio: 'pipe' }), `${name}: haproxy -c accepts it`);
  }
});

t.test('the view names every link of each relay to a card server, its own first', async (t) => {
  const view = (relays: number, cardServers: number) =>
    systemView({ municipalities: 1, relays, cardServers, ports: { cs: 1, relay: 2, cardServer: 3 }, operator: { relayPollNow: [], relayStatus: [] }, timeScale: 1, parameters: {} }).relays;
  t.same(view(3, 2).map((relay) => [relay.cardServerLink, relay.cardServerLinks]), [
    ['relay-1-card-server', [{ cardServer: 'card-server-1', link: 'relay-1-card-server' }, { cardServer: 'card-server-2', link: 'relay-1-card-server-2' }]],
    ['relay-2-card-server', [{ cardServer: 'card-server-2', link: 'relay-2-card-server' }, { cardServer: 'card-server-1', link: 'relay-2-card-server-1' }]],
    ['relay-3-card-server', [{ cardServer: 'card-server-1', link: 'relay-3-card-server' }, { cardServer: 'card-server-2', link: 'relay-3-card-server-2' }]],
  ]);
  t.same(view(2, 1)[1]?.cardServerLinks, [{ cardServer: 'card-server-1', link: 'relay-2-card-server' }], 'one card server: the one link, named as ever');
});

/** Answers every request with the address it listens on and its environment; kept-alive connections stay open. */
const ECHO = `
const http = require('node:http');
const server = http.createServer((request, response) => response.end(JSON.stringify({ host: process.env.BIND_HOST, env: process.env })));
server.keepAliveTimeout = 60000;
server.listen(Number(process.env.PORT), process.env.BIND_HOST, () => console.log('{"event":"ready"}'));
process.on('SIGTERM', () => process.exit(0));
`;

async function echoSystem(runtime: ProcessRuntime): Promise<StartedTopology> {
  const kind = (port: number) => ({ program: { executable: 'node' as const, args: ['-e', ECHO] }, port, env: { PORT: String(port) } });
  return systemTopology({ municipalities: 1, relays: 2, cardServers: 2, env: {}, kinds: { cs: kind(8100), relay: kind(8300), cardServer: kind(8400) }, distributor: { healthChecks: true } }).start(runtime);
}

/** The echo answer at `host:port`: which component answered, with what environment. */
async function echo(address: string): Promise<{ host: string; env: Record<string, string> }> {
  const [host = '', port = ''] = address.split(':');
  return (await requestJson({ host, port: Number(port) }, 'GET', '/')).body as { host: string; env: Record<string, string> };
}

t.test('process runtime: each relay reaches every card server through its own links; the distributor routes around a dead relay', async (t) => {
  const { runtime } = scratchRuntime(t, 'system');
  const system = await echoSystem(runtime);
  const relayEnv = (await echo(`${runtime.addressOf('relay-2')}:8300`)).env;
  const reached = await Promise.all((relayEnv['CARD_SERVERS'] ?? '').split(',').map(async (address) => (await echo(address)).host));
  t.same(reached, [runtime.addressOf('card-server-2'), runtime.addressOf('card-server-1')], 'CARD_SERVERS: its own card server first, then the other, each through a proxy');
  t.equal(relayEnv['CARD_SERVER'], relayEnv['CARD_SERVERS']?.split(',')[0], 'CARD_SERVER is the first of them');

  const distributor = system.component('distributor').endpoint(DISTRIBUTOR_PORT);
  // Nothing while no relay is in the rotation: the checks may have taken both out while they started.
  const via = () => requestJson(distributor, 'GET', '/').then((reply) => reply.body.host, () => undefined);
  await until('both relays in the rotation', async () => new Set(await Promise.all([via(), via(), via(), via()])).size === 2, { limitMs: 10_000 });
  // A kept-alive connection that landed on relay-1 before it froze.
  let held: net.Socket | undefined;
  for (let attempt = 0; !held && attempt < 6; attempt++) {
    const socket = net.connect(distributor.port, distributor.host);
    const text = await new Promise<string>((resolve) => {
      socket.once('data', (chunk: Buffer) => resolve(chunk.toString('utf8')));
      socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    });
    if (text.includes(`"host":"${runtime.addressOf('relay-1')}"`)) held = socket;
    else socket.destroy();
  }
  if (!held) return t.fail('no connection landed on relay-1');
  const closed = new Promise<number>((resolve) => held.once('close', () => resolve(performance.now())));
  await system.component('relay-1').pause();
  const pausedAt = performance.now();
  await until('relay-1 out of the rotation', async () => (await Promise.all([via(), via()])).every((host) => host === runtime.addressOf('relay-2')), { limitMs: 5000 });
  t.ok((await closed) - pausedAt < 3000, 'its sessions closed once it was marked down');
  await system.component('relay-1').resume();
  await until('relay-1 back in the rotation', async () => new Set(await Promise.all([via(), via(), via(), via()])).size === 2, { limitMs: 5000 });
});

for (const kind of RUNTIME_KINDS) {
  t.test(`${kind} runtime: two card servers on the run's shared folder keep one database, reaped with the run`, async (t) => {
    const runId = newRunId();
    const runtime = await createRuntime(kind, { runId, logDir: t.testdir() });
    t.teardown(() => runtime.dispose());
    const start = (name: string) =>
      runtime.start({
        name,
        program: { executable: 'node', args: ['card-server.ts'], appDir: REFERENCE_APP_DIR },
        ports: [CARD_SERVER_PORT],
        env: { REFERENCE_LEVEL: 'fixed', TIME_SCALE: '60', DATA_DIR: '{shared}/card-server' },
        ready: { kind: 'log', pattern: /"event":"ready"/ },
      });
    const [first, second] = await Promise.all([start('card-server-1'), start('card-server-2')]);
    const payload = { cardId: 'C1', residentCode: 'R1', icDigest: 'd1' };
    const registered = await requestJson(first.endpoint(CARD_SERVER_PORT), 'POST', '/message', { requestId: 'r1', municipality: 'm1', op: 'register-card', payload });
    t.equal(registered.status, 200, 'registered at card-server-1');
    const record = await requestJson(second.endpoint(CARD_SERVER_PORT), 'GET', '/cards/C1');
    t.same([record.status, record.body.status, record.body.icDigest], [200, 'pre-issued', 'd1'], 'card-server-2 answers the record');
    if (kind !== 'docker') return;
    await runtime.dispose();
    const volumes = await runCommand('docker', ['volume', 'ls', '--quiet', '--filter', `label=${RUN_LABEL}=${runId}`]);
    t.same([volumes.code, volumes.stdout.trim()], [0, ''], 'no volume of the run left');
  });
}

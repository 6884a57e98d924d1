// F12 at the relay: pinned to its own card server before `fixed`; at `fixed` it probes every card
// server and sends a message on to the next when one gives no answer. First the choice on a
// hand-driven clock, then end to end through the relay's interfaces, with card servers a test
// can stop and pause. And the relay's health answer, which no cap may refuse.
import http from 'node:http';
import t, { type Test } from 'tap';
import { decrypt, encrypt } from '../../targets/reference/lib/cipher.ts';
import type { PostResult } from '../../targets/reference/lib/http.ts';
import type { Level } from '../../targets/reference/lib/levels.ts';
import { CardServers, type Probe } from '../../targets/reference/relay/card-servers.ts';
import type { Scheduler } from '../../targets/reference/relay/clock.ts';
import { listenOnLoopback, logLines, RELAY_PORT, requestJson, startRelay, until } from '../helpers/target-tests.ts';

/** A clock whose next probe round runs when the test says. */
class Rounds implements Scheduler {
  #next: (() => void) | undefined;

  now(): number {
    return 0;
  }

  after(_ms: number, task: () => void): () => void {
    this.#next = task;
    return () => (this.#next = undefined);
  }

  async run(): Promise<void> {
    const task = this.#next;
    this.#next = undefined;
    task?.();
    await settle();
  }
}

const settle = () => new Promise((resolve) => setImmediate(resolve));
const answer = (from: string): PostResult => ({ status: 200, body: { result: from } });
const error = (code: string) => Object.assign(new Error(code), { code });

function servers(failover: boolean, up: Record<string, boolean>, addresses = ['a:1', 'b:1']) {
  const changes: string[] = [];
  const probed: string[] = [];
  const probe: Probe = async (address) => {
    probed.push(address);
    return up[address] ?? true;
  };
  const rounds = new Rounds();
  const chooser = new CardServers({ addresses, failover, probe, intervalMs: 50, timeoutMs: 200, scheduler: rounds, onChange: (address, isUp) => changes.push(`${address} ${isUp ? 'up' : 'down'}`) });
  return { chooser, changes, probed, rounds };
}

t.test('pinned (every level before fixed): only the own card server, whatever became of it, and no probes', async (t) => {
  const { chooser, probed } = servers(false, { 'a:1': false });
  chooser.start();
  await settle();
  t.same(probed, [], 'no probe');
  const tried: string[] = [];
  await t.rejects(chooser.send(async (address) => (tried.push(address), Promise.reject(error('ECONNREFUSED')))), { code: 'ECONNREFUSED' });
  t.same(tried, ['a:1'], 'the other card server is never tried');
});

t.test('failover: sends to the first card server that answered its probe, and back once the own one answers again', async (t) => {
  const up = { 'a:1': false, 'b:1': true };
  const { chooser, changes, rounds } = servers(true, up);
  chooser.start();
  await settle();
  t.same(changes, ['a:1 down']);
  t.same(await chooser.send(async (address) => answer(address)), answer('b:1'), 'the other one first');
  up['a:1'] = true;
  await rounds.run();
  t.same(changes, ['a:1 down', 'a:1 up']);
  t.same(await chooser.send(async (address) => answer(address)), answer('a:1'), 'its own again');
  chooser.stop();
  await rounds.run();
  t.same(changes.length, 2, 'no probe after stop');
});

t.test('failover: a message that got no answer at all goes on to the next card server; one that may still be worked on does not', async (t) => {
  const { chooser, changes } = servers(true, {});
  chooser.start();
  await settle();
  const tried: string[] = [];
  const reply = await chooser.send(async (address) => {
    tried.push(address);
    if (address === 'a:1') throw error('ECONNRESET');
    return answer(address);
  });
  t.same([tried, reply, changes], [['a:1', 'b:1'], answer('b:1'), ['a:1 down']], 'retried, and the failed one marked down until its probe answers');
  await t.rejects(chooser.send(async () => Promise.reject(error('ETIMEDOUT'))), { code: 'ETIMEDOUT' }, 'a timed-out answer is not sent again');
  const all: string[] = [];
  await t.rejects(chooser.send(async (address) => (all.push(address), Promise.reject(error('ECONNREFUSED')))), { code: 'ECONNREFUSED' });
  t.same(all, ['b:1', 'a:1'], 'every card server tried, those marked down last');
  const alone = servers(true, {}, ['a:1']);
  alone.chooser.start();
  await settle();
  t.same(alone.probed, [], 'a single card server is not probed: there is nowhere to fail over to');
});

/** A card server stub that names itself in its answers; paused, it accepts and answers nothing, health included. */
async function cardServer(t: Test, name: string) {
  const held: Array<() => void> = [];
  let paused = false;
  const received: string[] = [];
  let probes = 0;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const reply = () => {
        if (response.destroyed) return;
        if (request.method === 'GET' && request.url === '/health') return void (probes++, response.end(JSON.stringify({ status: 'ok', active: 0 })));
        received.push((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { requestId: string }).requestId);
        response.end(JSON.stringify({ result: { servedBy: name } }));
      };
      if (paused) held.push(reply);
      else reply();
    });
  });
  const { address, close } = await listenOnLoopback(t, server);
  return {
    address,
    received,
    probes: () => probes,
    pause: () => void (paused = true),
    resume() {
      paused = false;
      held.splice(0).forEach((reply) => reply());
    },
    close,
  };
}

async function failoverRelay(t: Test, level: Level, env: Record<string, string> = {}) {
  const a = await cardServer(t, 'a');
  const b = await cardServer(t, 'b');
  const relay = await startRelay(t, level, a.address, { CARD_SERVERS: `${a.address},${b.address}`, TIME_SCALE: '20', RELAY_TIMEOUT_MS: '600000', ...env });
  const endpoint = relay.endpoint(RELAY_PORT);
  let next = 0;
  const send = async () => {
    const reply = await requestJson(endpoint, 'POST', '/message', { requestId: `m${next++}`, municipality: 'm1', kind: 'business', op: 'search', payload: encrypt({ residentCode: 'R1' }) });
    return reply.status === 200 ? (decrypt(reply.body.result as string) as { servedBy: string }).servedBy : `${reply.status} ${String(reply.body.error)}`;
  };
  const logged = async (event: string, count = 1) => logLines(await relay.logs()).filter((line) => line.event === event).length >= count;
  return { a, b, relay, endpoint, send, logged };
}

t.test('relay at fixed: a stopped or paused card server is routed around, and used again once back', async (t) => {
  const { a, b, send, logged } = await failoverRelay(t, 'fixed');
  t.equal(await send(), 'a', 'its own card server while it serves');
  a.pause();
  await until('the paused card server marked down by its probe timing out', () => logged('card-server-down'), { limitMs: 5000 });
  t.equal(await send(), 'b', 'paused: the other one');
  a.resume();
  await until('the card server marked up again', () => logged('card-server-up'), { limitMs: 5000 });
  t.equal(await send(), 'a', 'back: its own again');
  await a.close();
  t.equal(await send(), 'b', 'stopped: the message goes on to the other, at once');
  t.ok(b.probes() > 0, `the other card server probed too (${b.probes()} times)`);
});

t.test('relay at 2016-01: pinned to its own card server, it fails while that one is down, the other never asked', async (t) => {
  const { a, b, send } = await failoverRelay(t, '2016-01');
  t.equal(await send(), 'a');
  await a.close();
  t.equal(await send(), '502 upstream');
  await new Promise((resolve) => setTimeout(resolve, 300));
  t.same([b.received, b.probes()], [[], 0], 'not a message, nor a probe, at the other card server');
});

t.test('the relay answers GET /health 200 even at its cap, where a message meets overflow', async (t) => {
  const { a, endpoint, send } = await failoverRelay(t, '2016-01', { RELAY_MAX_CONNECTIONS: '1' });
  a.pause();
  const held = send();
  await until('the held message at the card server', async () => (await requestJson(endpoint, 'GET', '/health')).body.active === 1);
  t.equal(await send(), '503 overflow', 'a message past the cap');
  t.same(await requestJson(endpoint, 'GET', '/health').then((reply) => [reply.status, reply.body]), [200, { status: 'ok', active: 1 }], 'health answered');
  a.resume();
  t.equal(await held, 'a');
});

// The relay's contract (CONTRACT.md 2.2) at every reference level: it relays an encrypted business
// message, answers an ic-exchange itself, refuses exactly what lies past its cap, reports a card
// server it cannot reach, and stops on SIGTERM.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import t, { type Test } from 'tap';
import { ProcessRuntime } from '../../harness/runtime/process.ts';
import { decrypt, encrypt } from '../../targets/reference/lib/cipher.ts';
import { behaviour, LEVELS, type Level } from '../../targets/reference/lib/levels.ts';

const APP_DIR = path.resolve(import.meta.dirname, '../../targets/reference');
const PORT = 8300;
const EXTRA = 3;

interface Reply {
  status: number;
  body: Record<string, unknown>;
  connection: string | undefined;
}

function post(agent: http.Agent, host: string, body: unknown): Promise<Reply> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = http.request(
      { agent, host, port: PORT, path: '/message', method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
            connection: response.headers.connection,
          }),
        );
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

/** A card server that records what reaches it and answers when `held` lets it. */
async function stubCardServer(t: Test) {
  const received: Array<Record<string, unknown>> = [];
  let release: () => void = () => {};
  let held: Promise<void> = Promise.resolve();
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      received.push(body);
      await held;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ result: { cards: [{ cardId: 'C1', op: body.op }] } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  t.teardown(close);
  return {
    address: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    hold() {
      held = new Promise((resolve) => (release = resolve));
    },
    release: () => release(),
    close,
  };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function contract(t: Test, level: Level) {
  const stub = await stubCardServer(t);
  const logDir = mkdtempSync(path.join(os.tmpdir(), 'ijiwaru-relay-'));
  const runtime = new ProcessRuntime({ runId: `relay-${randomUUID().slice(0, 8)}`, logDir });
  t.teardown(async () => {
    await runtime.dispose();
    rmSync(logDir, { recursive: true, force: true });
  });
  const relay = await runtime.start({
    name: 'relay',
    program: { executable: 'node', args: ['relay.ts'], appDir: APP_DIR },
    ports: [PORT],
    // A 10 s timer at scale 60: the held answers below must not run out.
    env: { REFERENCE_LEVEL: level, TIME_SCALE: '60', RELAY_TIMEOUT_MS: '600000', CARD_SERVER: stub.address },
    ready: { kind: 'log', pattern: /"event":"ready"/ },
  });
  const agent = new http.Agent({ keepAlive: true });
  t.teardown(() => agent.destroy());
  const host = relay.endpoint(PORT).host;
  let next = 0;
  const envelope = (kind: 'business' | 'control', op: string, payload: unknown) => ({
    requestId: `${level}-${next++}`,
    municipality: 'm1',
    kind,
    op,
    payload: encrypt(payload),
  });

  const business = envelope('business', 'search', { residentCode: 'R1' });
  const answer = await post(agent, host, business);
  t.equal(answer.status, 200, 'business message relayed');
  t.same(decrypt(answer.body.result as string), { cards: [{ cardId: 'C1', op: 'search' }] }, 'result encrypted the same way');
  t.same(stub.received, [{ requestId: business.requestId, municipality: 'm1', op: 'search', payload: { residentCode: 'R1' } }], 'the card server got it in clear, requestId kept');

  const exchange = await post(agent, host, envelope('control', 'ic-exchange', { cardId: 'C1', exchange: 7 }));
  t.equal(exchange.status, 200, 'ic-exchange answered');
  t.same(decrypt(exchange.body.result as string), { exchange: 7 });
  t.equal(stub.received.length, 1, 'by the relay itself');

  const malformed = await post(agent, host, { ...envelope('business', 'search', {}), requestId: undefined });
  t.same([malformed.status, malformed.body], [400, { error: 'bad-request', missing: 'requestId' }], 'a malformed envelope: 400');

  const cap = behaviour(level).relayMaxConnections;
  stub.hold();
  const held = Array.from({ length: cap }, () => post(new http.Agent(), host, envelope('business', 'search', { residentCode: 'R2' })));
  await until(() => stub.received.length === 1 + cap, `${cap} messages at the card server`);
  const extra = await Promise.all(Array.from({ length: EXTRA }, () => post(new http.Agent(), host, envelope('business', 'search', { residentCode: 'R3' }))));
  t.same(
    extra.map(({ status, body, connection }) => ({ status, body, connection })),
    Array(EXTRA).fill({ status: 503, body: { error: 'overflow' }, connection: 'close' }),
    `past the cap of ${cap}: overflow, connection closed`,
  );
  stub.release();
  const within = await Promise.all(held);
  t.same(within.map((reply) => reply.status), Array(cap).fill(200), `all ${cap} within the cap answered`);

  await stub.close();
  const unreachable = await post(agent, host, envelope('business', 'search', { residentCode: 'R4' }));
  t.equal(unreachable.status, 502);
  t.equal(unreachable.body.error, 'upstream');
  t.type(unreachable.body.code, 'string', `with the error code (${String(unreachable.body.code)})`);

  const lines = (await relay.logs()).split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
  const messages = lines.filter((line) => line.event === 'message');
  t.equal(messages.length, 2 + cap + EXTRA + 1, 'one business line per relayed or refused message');
  t.ok(messages.every((line) => line.stream === 'business' && typeof line.requestId === 'string' && typeof line.outcome === 'string'));
  t.same(messages.filter((line) => line.outcome === 'overflow').length, EXTRA);
  const correlated = lines.filter((line) => 'correlationId' in line).length;
  if (level === 'fixed') t.equal(correlated, messages.length, 'fixed: every message line carries its correlationId');
  else t.equal(correlated, 0, 'before fixed: no correlationId (F14)');

  await relay.stop();
  t.same(await relay.status(), { state: 'exited', exitCode: 0 }, 'SIGTERM stops it gracefully');
}

for (const level of LEVELS) await t.test(level, (t) => contract(t, level));

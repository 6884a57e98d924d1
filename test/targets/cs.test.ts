/**
 * The CS's contract (CONTRACT.md 2.1) at every reference level, against a stub centre that
 * decrypts each envelope and answers as a relay in front of a card server would.
 */
import http from 'node:http';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t, { type Test } from 'tap';
import { newRunId } from '../../harness/runtime/create.ts';
import { ProcessRuntime } from '../../harness/runtime/process.ts';
import type { Component } from '../../harness/runtime/types.ts';
import { decrypt, encrypt } from '../../targets/reference/lib/cipher.ts';
import { LEVELS, type Level } from '../../targets/reference/lib/levels.ts';

const appDir = path.join(import.meta.dirname, '../../targets/reference');

interface Seen {
  requestId: string;
  municipality: string;
  kind: string;
  op: string;
  /** The payload as it travelled. */
  sealed: unknown;
  payload: Record<string, unknown>;
}

interface Centre {
  address: string;
  seen: Seen[];
  /** TCP connections the CS has opened to it. */
  connections: number;
  /** Messages of these ops wait until `release` is called. */
  hold: Set<string>;
  release: () => void;
}

/** The centre as the CS sees it through the distributor. */
async function stubCentre(t: Test): Promise<Centre> {
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  const centre: Centre = { address: '', seen: [], connections: 0, hold: new Set(), release };
  const { seen } = centre;
  let serial = 0;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      const envelope = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Omit<Seen, 'payload' | 'sealed'> & { payload: string };
      const payload = decrypt(envelope.payload) as Record<string, unknown>;
      seen.push({ ...envelope, sealed: envelope.payload, payload });
      if (centre.hold.has(envelope.op)) await released;
      const results: Record<string, () => unknown> = {
        'ic-exchange': () => ({ exchange: payload.exchange }),
        'register-card': () => ({ cardId: payload.cardId, status: 'pre-issued' }),
        'register-update': () => ({ cardId: payload.cardId, status: payload.status }),
        search: () => ({ cards: [{ cardId: 'card-1', residentCode: payload.residentCode }] }),
        move: () => ({ updated: 1 }),
        'certificate-change': () => ({ serial: `serial-${++serial}` }),
      };
      const result = results[envelope.op]?.();
      const body = JSON.stringify(result === undefined ? { error: 'not-found' } : { result: encrypt(result) });
      response.writeHead(result === undefined ? 404 : 200, { 'content-type': 'application/json' }).end(body);
    });
  });
  server.on('connection', () => centre.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => {
    release();
    server.closeAllConnections();
    server.close();
  });
  centre.address = `127.0.0.1:${(server.address() as { port: number }).port}`;
  return centre;
}

interface Reply {
  status: number;
  body: Record<string, unknown>;
}

function client(cs: Component) {
  const { host, port } = cs.endpoint(8100);
  return async (method: string, target: string, body?: unknown): Promise<Reply> => {
    const response = await fetch(`http://${host}:${port}${target}`, {
      method,
      ...(body !== undefined && { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
}

function logLines(output: string): Record<string, unknown>[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

const runtime = new ProcessRuntime({ runId: newRunId(), logDir: mkdtempSync(path.join(os.tmpdir(), 'ijiwaru-cs-')) });
t.teardown(() => runtime.dispose());
let started = 0;

async function startCs(t: Test, level: Level, distributor: string, env: Record<string, string> = {}): Promise<Component> {
  return runtime.start({
    name: `cs-${level}-${++started}`,
    program: { executable: 'node', args: ['cs.ts'], appDir },
    ports: [8100],
    env: {
      REFERENCE_LEVEL: level,
      TIME_SCALE: '100',
      DISTRIBUTOR: distributor,
      MUNICIPALITY: 'm7',
      IC_DIR: t.testdir(),
      ...env,
    },
    ready: { kind: 'log', pattern: /"event":"ready"/ },
  });
}

for (const level of LEVELS) {
  t.test(`the CS meets its contract at ${level}`, async (t) => {
    const centre = await stubCentre(t);
    const cs = await startCs(t, level, centre.address);
    const call = client(cs);
    const ops = (op: string) => centre.seen.filter((message) => message.op === op);

    t.equal((await call('GET', '/health')).status, 200, 'health');
    t.same(await call('GET', '/ic/card-1'), { status: 404, body: { error: 'not-found' } }, 'a card never seen is not found');

    const preIssue = await call('POST', '/pre-issue', { requestId: 'r-pre', cardId: 'card-1', residentCode: 'res-1' });
    t.equal(preIssue.status, 200, 'pre-issue succeeds');
    t.match(preIssue.body, { cardId: 'card-1', status: 'pre-issued', icDigest: /^[0-9a-f]+$/ });
    const exchanges = ops('ic-exchange');
    t.equal(exchanges.length, 29, '29 command/response exchanges with the centre');
    t.same(
      exchanges.map((message) => message.payload.exchange),
      Array.from({ length: 29 }, (_, i) => i + 1),
      'in order',
    );
    t.ok(
      exchanges.every((message) => message.kind === 'control' && message.requestId === 'r-pre' && message.municipality === 'm7'),
      'control messages carrying the terminal requestId and the municipality',
    );
    const registerCard = ops('register-card');
    t.equal(registerCard.length, 1, 'one register-card');
    t.match(registerCard[0], {
      kind: 'business',
      requestId: 'r-pre',
      payload: { cardId: 'card-1', residentCode: 'res-1', icDigest: preIssue.body.icDigest },
    });
    t.not(registerCard[0]?.sealed, JSON.stringify(registerCard[0]?.payload), 'the payload travels encrypted');
    t.ok(centre.connections < 10, `30 messages in a row over ${centre.connections} kept-alive connection(s)`);
    t.same(await call('GET', '/ic/card-1'), { status: 200, body: { state: 'written', digest: preIssue.body.icDigest, step: 146 } });

    const issue = await call('POST', '/issue', { requestId: 'r-issue', cardId: 'card-1' });
    t.same(issue, { status: 200, body: { cardId: 'card-1', status: 'issued' } }, 'issue succeeds');
    const ic = await call('GET', '/ic/card-1');
    t.equal(ic.body.state, 'issued');
    t.not(ic.body.digest, preIssue.body.icDigest, 'setting the PINs changes the IC digest');
    t.match(ops('register-update'), [{ requestId: 'r-issue', payload: { cardId: 'card-1', icDigest: ic.body.digest, status: 'issued' } }]);
    t.match(await call('POST', '/issue', { requestId: 'r-issue-2', cardId: 'card-1' }), { status: 409, body: { error: 'reissue-required' } });

    const search = await call('GET', '/search?residentCode=res-1&requestId=r-search');
    t.same(search, { status: 200, body: { cards: [{ cardId: 'card-1', residentCode: 'res-1' }] } }, 'search');
    t.match(ops('search'), [{ requestId: 'r-search', payload: { residentCode: 'res-1' } }]);

    const move = await call('POST', '/move', { requestId: 'r-move', residentCode: 'res-1', newAddress: '東京都千代田区1-1' });
    t.same(move, { status: 200, body: { updated: 1 } }, 'move');
    t.match(ops('move'), [{ requestId: 'r-move', payload: { residentCode: 'res-1', newAddress: '東京都千代田区1-1' } }]);

    const change = await call('POST', '/certificate-change', {
      requestId: 'r-cert',
      cardId: 'card-1',
      oldAddress: '東京都千代田区1-1',
      newAddress: '大阪府大阪市北区2-2',
    });
    t.same(change, { status: 200, body: { serial: 'serial-1' } }, 'certificate change with a plain address');
    t.match(ops('certificate-change'), [{ payload: { cardId: 'card-1', oldAddress: '東京都千代田区1-1', newAddress: '大阪府大阪市北区2-2' } }]);

    t.match(await call('POST', '/move', { requestId: 'r-bad', residentCode: 'res-1' }), { status: 400, body: { missing: 'newAddress' } });

    const requests = logLines(await cs.logs()).filter((line) => line.event === 'request');
    t.match(requests.find((line) => line.requestId === 'r-pre'), { stream: 'business', op: 'pre-issue', outcome: 'ok' });
    t.equal(
      requests.every((line) => line.correlationId === (level === 'fixed' ? line.requestId : undefined)),
      true,
      level === 'fixed' ? 'every request line carries its correlationId' : 'no correlationId before fixed (F14)',
    );
  });
}

t.test('at most CS_POOL_SIZE connections to the centre', async (t) => {
  const centre = await stubCentre(t);
  centre.hold.add('move');
  const cs = await startCs(t, 'fixed', centre.address, { CS_POOL_SIZE: '2' });
  const call = client(cs);
  const moves = Array.from({ length: 5 }, (_, i) =>
    call('POST', '/move', { requestId: `r-${i}`, residentCode: `res-${i}`, newAddress: '東京都港区1-1' }),
  );
  const deadline = Date.now() + 30_000;
  while (centre.seen.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  // Give any extra connection time to show up; a pool that kept to its size never opens one.
  await new Promise((resolve) => setTimeout(resolve, 500));
  t.equal(centre.seen.length, 2, 'two messages at the centre, three waiting for a connection');
  t.equal(centre.connections, 2, 'two connections');
  centre.release();
  t.same(
    (await Promise.all(moves)).map((reply) => reply.status),
    [200, 200, 200, 200, 200],
    'the waiting three go through once connections are free',
  );
  t.equal(centre.connections, 2, 'over the same two connections');
});

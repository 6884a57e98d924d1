// The reference card server (CONTRACT.md 2.3) and its three faults: F5 thread names that grow
// under continuous traffic, F6 a buffer held per message in flight, F7 a repeated registration.
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import v8 from 'node:v8';
import vm from 'node:vm';
import t, { type Test } from 'tap';
import type { Component, Endpoint } from '../../harness/runtime/types.ts';
import { createCardServer } from '../../targets/reference/card-server/app.ts';
import { Slots } from '../../targets/reference/card-server/slots.ts';
import { GrowingThreadNames, ShortThreadNames } from '../../targets/reference/card-server/thread-names.ts';
import { Env } from '../../targets/reference/lib/env.ts';
import { behaviour, LEVELS, type Level } from '../../targets/reference/lib/levels.ts';
import { Log } from '../../targets/reference/lib/log.ts';
import { CARD_SERVER_PORT, requestJson as call, scratchRuntime, startReference, until as untilEvery } from '../helpers/target-tests.ts';

const MiB = 2 ** 20;

function send(endpoint: Endpoint, requestId: string, op: string, payload: Record<string, unknown>, municipality = 'm-001', agent: http.Agent | false = false) {
  return call(endpoint, 'POST', '/message', { requestId, municipality, op, payload }, agent);
}

/** Waits as the shared `until` does, looking every 20 ms: some conditions here are themselves requests. */
const until = (what: string, check: () => Promise<boolean> | boolean) => untilEvery(what, check, { everyMs: 20 });

/** Card servers as child processes, each with its own data directory, removed at teardown. */
async function startCardServers(t: Test, specs: Array<{ name: string; level: Level; env?: Record<string, string> }>): Promise<Component[]> {
  const { runtime, scratch } = scratchRuntime(t, 'card-server');
  return Promise.all(
    specs.map((spec) =>
      startReference(runtime, {
        name: spec.name,
        script: 'card-server.ts',
        port: CARD_SERVER_PORT,
        env: { REFERENCE_LEVEL: spec.level, TIME_SCALE: '60', DATA_DIR: path.join(scratch, spec.name), ...spec.env },
      }),
    ),
  );
}

interface MessageLine {
  raw: string;
  thread: string;
  requestId: string;
}

async function messageLines(component: Component): Promise<MessageLine[]> {
  return (await component.logs())
    .split('\n')
    .filter((line) => line.includes('"event":"message"'))
    .map((raw) => {
      const { thread, requestId } = JSON.parse(raw) as { thread: string; requestId: string };
      return { raw, thread, requestId };
    });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

t.test('slots: the lowest free slot serves the next message, none beyond the cap', async (t) => {
  const slots = new Slots(3);
  t.same([slots.acquire(), slots.acquire(), slots.acquire(), slots.acquire()], [0, 1, 2, undefined]);
  slots.release(1);
  t.equal(slots.active, 2);
  t.equal(slots.acquire(), 1);
  slots.release(0);
  slots.release(2);
  t.equal(slots.acquire(), 0);
  t.equal(slots.active, 2);
});

t.test('F5 thread names, controlled clock: growing until an idle pause as launched, fixed from 2016-03', async (t) => {
  const growing = new GrowingThreadNames(1000);
  const short = new ShortThreadNames();
  const names = (rule: GrowingThreadNames | ShortThreadNames, start: number, count: number, gapMs: number) => {
    const seen: string[] = [];
    let now = start;
    let releasedAt = start;
    for (let sequence = 1; sequence <= count; sequence++) {
      seen.push(rule.acquire(0, sequence, now));
      releasedAt = now + 5;
      rule.released(0, releasedAt);
      now = releasedAt + gapMs;
    }
    return { seen, releasedAt };
  };

  const busy = names(growing, 0, 50, 1);
  t.equal(busy.seen[0], 'worker-0');
  t.equal(busy.seen[2], 'worker-0-2-3');
  t.ok(
    busy.seen.every((name, i) => i === 0 || name.length > (busy.seen[i - 1] ?? '').length),
    'traffic that never pauses makes every reuse longer',
  );
  const pause = busy.releasedAt;
  t.equal(growing.acquire(0, 51, pause + 999), `${busy.seen[49]}-51`, 'a pause shorter than the idle time does not reset');
  growing.released(0, pause + 1000);
  t.equal(growing.acquire(0, 52, pause + 2000), 'worker-0', 'a slot idle for the idle time starts over');
  growing.released(0, pause + 9000);
  t.equal(growing.acquire(0, 53, pause + 9001), 'worker-0-53', 'idle counts from the release, not from the acquire');

  t.same(new Set(names(short, 0, 50, 1).seen), new Set(['worker-0']), 'short names never grow');
});

t.test('F6: every message in flight holds its own buffer until it is answered', async (t) => {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  // Backing stores go back only after a collection and a turn of the event loop.
  const settledArrayBuffers = async () => {
    for (let round = 0; round < 3; round++) {
      await sleep(20);
      gc();
    }
    return process.memoryUsage().arrayBuffers;
  };
  const inFlight = 24;

  for (const level of ['2016-01', 'fixed'] as const) {
    await t.test(level, async (t) => {
      const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ijiwaru-card-server-f6-'));
      const env = new Env({ REFERENCE_LEVEL: level, CARD_SERVER_SERVICE_MS: '600000', MESSAGE_BUFFER_BYTES: String(MiB) });
      const cardServer = createCardServer({ env, log: new Log('card-server', false, () => undefined), dataDir });
      t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
      await new Promise<void>((resolve) => cardServer.server.listen(0, '127.0.0.1', resolve));
      const endpoint = { host: '127.0.0.1', port: (cardServer.server.address() as { port: number }).port };

      const before = await settledArrayBuffers();
      const held = Array.from({ length: inFlight }, (_, i) =>
        send(endpoint, `f6-${level}-${i}`, 'search', { residentCode: 'R-none' }).catch((error: Error) => error),
      );
      await until(`${inFlight} messages in flight`, () => cardServer.messages.active === inFlight);
      const during = await settledArrayBuffers();
      const heldMiB = (during - before) / MiB;
      t.ok(heldMiB >= inFlight * 0.9 && heldMiB <= inFlight * 1.1 + 2, `${inFlight} messages in flight hold ${heldMiB.toFixed(1)} MiB more`);

      await cardServer.close();
      await Promise.all(held);
      await until('every message answered', () => cardServer.messages.active === 0);
      const after = await settledArrayBuffers();
      t.ok((after - before) / MiB < inFlight / 4, `answered, they hold ${((after - before) / MiB).toFixed(1)} MiB`);
    });
  }
});

t.test('contract at every level: ops, queries, the F7 repeat, overflow at the cap, graceful stop', async (t) => {
  for (const level of LEVELS) {
    await t.test(level, async (t) => {
      const [server, capped] = await startCardServers(t, [
        { name: 'card-server', level },
        // Ten seconds of service at this scale hold three messages while the fourth arrives.
        { name: 'card-server-capped', level, env: { CARD_SERVER_MAX_CONNECTIONS: '3', CARD_SERVER_SERVICE_MS: '600000' } },
      ]);
      if (!server || !capped) throw new Error('card servers did not start');
      const at = server.endpoint(8400);
      const cardId = `C-${level}`;
      const residentCode = `R-${level}`;
      const card = async () => (await call(at, 'GET', `/cards/${cardId}`)).body;

      t.same((await send(at, 'rq-1', 'register-card', { cardId, residentCode, icDigest: 'd0' })).body, { result: { cardId, status: 'pre-issued' } }, 'register-card');
      const registered = await card();
      t.match(registered, { cardId, residentCode, status: 'pre-issued', icDigest: 'd0', address: null, certificateSerial: String }, 'GET /cards/:cardId');
      t.ok(Number(registered.photoBytes) >= 20 * 1024 && Number(registered.photoBytes) <= 40 * 1024, `photo of ${String(registered.photoBytes)} bytes`);
      t.notOk('photo' in registered, 'the record gives the photo by its size only');
      const missing = await call(at, 'GET', '/cards/C-missing');
      t.same([missing.status, missing.body], [404, { error: 'not-found' }], 'a missing card');

      const update = { cardId, icDigest: 'd1', status: 'issued' };
      t.same((await send(at, 'rq-2', 'register-update', update)).body, { result: { cardId, status: 'issued' } }, 'register-update');
      t.same((await send(at, 'rq-3', 'register-update', { cardId, icDigest: 'd2', status: 'issued' })).body, { result: { cardId, status: 'issued' } }, 'a later update');
      const repeat = await send(at, 'rq-2', 'register-update', update);
      if (behaviour(level).idempotentRegistration) {
        t.same([repeat.status, repeat.body], [200, { result: { cardId, status: 'issued' } }], 'F7 fixed: the repeat gets the first result');
      } else {
        t.same([repeat.status, repeat.body.error], [409, 'duplicate-request'], 'F7 as launched: the repeat is refused');
      }
      t.equal((await card()).icDigest, 'd2', 'the repeated registration was not applied again');

      const found = await send(at, 'rq-4', 'search', { residentCode });
      t.match(found.body, { result: { cards: [{ cardId, status: 'issued', icDigest: 'd2' }] } }, 'search finds the card');
      t.same((await send(at, 'rq-5', 'search', { residentCode: 'R-nobody' })).body, { result: { cards: [] } }, 'search for nobody');

      t.same((await send(at, 'rq-6', 'move', { residentCode, newAddress: '1-1 Kasumigaseki' })).body, { result: { updated: 1 } }, 'move');
      t.equal((await card()).address, '1-1 Kasumigaseki', 'the record has the new address');

      const changed = await send(at, 'rq-7', 'certificate-change', { cardId, oldAddress: '1-1 Kasumigaseki', newAddress: '2-2 Otemachi' });
      t.equal(changed.status, 200, 'certificate-change');
      const serial = (changed.body.result as { serial?: unknown } | undefined)?.serial;
      t.type(serial, 'string', 'a serial');
      t.not(serial, registered.certificateSerial, 'a new serial');
      t.match(await card(), { certificateSerial: serial, address: '2-2 Otemachi' }, 'the record has the new serial and address');

      for (const seq of [1, 2, 3]) {
        t.same((await send(at, `rq-b${seq}`, 'batch-record', { batchId: 'B-1', seq, record: { household: seq } })).body, { result: { seq } }, `batch-record ${seq}`);
      }
      t.same((await call(at, 'GET', '/notices?municipality=m-001')).body, { notices: [] }, 'no notice before the commit');
      t.same((await send(at, 'rq-b4', 'batch-commit', { batchId: 'B-1', count: 3 })).body, { result: { registered: true } }, 'batch-commit');
      t.match((await call(at, 'GET', '/notices?municipality=m-001')).body, { notices: [{ batchId: 'B-1', count: 3, time: String }] }, 'the registered notice');
      t.same((await call(at, 'GET', '/notices?municipality=m-002')).body, { notices: [] }, 'the notice goes to its own municipality');
      await send(at, 'rq-c1', 'batch-record', { batchId: 'B-2', seq: 1, record: { household: 1 } });
      const short = await send(at, 'rq-c2', 'batch-commit', { batchId: 'B-2', count: 2 });
      t.same([short.status, short.body.error], [409, 'batch-incomplete'], 'a commit short of its records is refused');
      t.equal(((await call(at, 'GET', '/notices?municipality=m-001')).body.notices as unknown[]).length, 1, 'and sends no notice');

      const lines = await messageLines(server);
      t.ok(lines.length === 14 && lines.every((line) => line.thread.startsWith('worker-')), 'a business line with the thread name per message');
      const correlated = lines.every((line) => (JSON.parse(line.raw) as { correlationId?: string }).correlationId === line.requestId);
      t.equal(correlated, behaviour(level).correlatedLogs, 'correlation IDs only where the logs are correlated');

      const cap = capped.endpoint(8400);
      const held = [1, 2, 3].map((i) => send(cap, `hold-${i}`, 'search', { residentCode }).catch((error: Error) => error));
      await until('three messages in flight', async () => (await call(cap, 'GET', '/health')).body.active === 3);
      const refused = await send(cap, 'hold-4', 'search', { residentCode });
      t.same([refused.status, refused.body, refused.headers.connection], [503, { error: 'overflow' }, 'close'], 'the fourth is an overflow');
      t.same((await call(cap, 'GET', '/health')).body, { status: 'ok', active: 3 }, 'the three held are still being served');

      await capped.stop();
      t.match(await capped.status(), { state: 'exited', exitCode: 0 }, 'SIGTERM with messages in flight is a graceful stop');
      await Promise.all(held);
    });
  }
});

t.test('F5 under continuous load: thread names grow as launched, stay fixed from 2016-03', async (t) => {
  const messages = 3000;
  const inFlight = 4;
  const levels = ['2016-01', '2016-03', 'fixed'] as const;
  // No service time: the load never pauses. An idle time of 2 s (scaled) is far longer than any
  // gap between two messages of one slot, so only continuous traffic decides the names.
  const servers = await startCardServers(
    t,
    levels.map((level) => ({ name: `card-server-${level}`, level, env: { CARD_SERVER_SERVICE_MS: '0', THREAD_IDLE_MS: '120000' } })),
  );

  const statuses = await Promise.all(
    servers.map(async (server, index) => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: inFlight });
      const endpoint = server.endpoint(8400);
      const seen: number[] = [];
      let next = 0;
      await Promise.all(
        Array.from({ length: inFlight }, async () => {
          while (next < messages) {
            const id = `f5-${levels[index]}-${next++}`;
            seen.push((await send(endpoint, id, 'search', { residentCode: 'R-none' }, 'm-001', agent)).status);
          }
        }),
      );
      agent.destroy();
      return seen.filter((status) => status === 200).length;
    }),
  );
  t.same(statuses, levels.map(() => messages), 'every message answered 200 at every level');

  const [launched, ...corrected] = await Promise.all(servers.map(messageLines));
  if (!launched) throw new Error('no log lines');
  const thirds = (lines: MessageLine[]) =>
    [0, 1, 2].map((i) => Math.max(...lines.slice((i * lines.length) / 3, ((i + 1) * lines.length) / 3).map((line) => line.thread.length)));
  const tail = (lines: MessageLine[]) => median(lines.slice(-100).map((line) => line.raw.length));

  const grown = thirds(launched);
  t.ok(grown[0]! < grown[1]! && grown[1]! < grown[2]! && grown[2]! >= 2 * grown[0]!, `2016-01: longest name per third of the run ${grown.join(' < ')}`);
  corrected.forEach((lines, i) => {
    const level = levels[i + 1];
    const steady = thirds(lines);
    t.ok(steady.every((length) => length === steady[0] && length <= 'worker-199'.length), `${level}: longest name per third ${steady.join(', ')}`);
    t.ok(lines.every((line) => /^worker-\d+$/.test(line.thread)), `${level}: one short name per slot`);
    t.ok(tail(launched) >= 10 * tail(lines), `after ${messages} messages a log line is ${tail(launched)} bytes at 2016-01, ${tail(lines)} at ${level}`);
  });
});

t.test('F11: a revocation job holds the card server before 2016-09, and is served beside card work from it', async (t) => {
  const [held, beside] = await startCardServers(t, [
    { name: 'held', level: '2016-07' },
    { name: 'beside', level: '2016-09' },
  ]);
  // 40 serials at a quarter of the 55 ms service time (time scale 60) each: 550 ms of marks.
  const serials = Array.from({ length: 40 }, (_, i) => `S${String(i).padStart(10, '0')}`);
  for (const [server, status] of [[held, 503], [beside, 200]] as const) {
    if (!server) throw new Error('no card server');
    const endpoint = server.endpoint(CARD_SERVER_PORT);
    const marks = send(endpoint, `j-${status}:mark`, 'revoke-certificates', { serials }, 'pki');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const search = await send(endpoint, `s-${status}`, 'search', { residentCode: 'R1' });
    t.equal(search.status, status, `a search while the marks are served: ${status} ${JSON.stringify(search.body)}`);
    t.match((await marks).body, { result: { marked: 0 } }, 'the marks answered');
  }
});

import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Test } from 'tap';
import { echoTopology } from '../../fixtures/echo/topology.ts';
import { HarnessClient } from '../../harness/history/client.ts';
import { History, type Operation } from '../../harness/history/history.ts';
import { createRuntime } from '../../harness/runtime/create.ts';
import type { RuntimeKind } from '../../harness/runtime/types.ts';

const LATENCY_MS = 150;
/** Timer slack: a delayed answer may come this much early by the clocks involved. */
const LATENCY_SLACK_BELOW_MS = 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

const duration = (operation: Operation) => operation.endMs - operation.startMs;

/** Every fault of the echo topology, on one runtime, judged from the history it leaves. */
export async function linkAndComponentFaults(t: Test, kind: RuntimeKind): Promise<void> {
  const evidence = mkdtempSync(path.join(os.tmpdir(), `ijiwaru-${kind}-`));
  const runtime = await createRuntime(kind, { logDir: path.join(evidence, 'logs') });
  const topology = await echoTopology().start(runtime);
  const history = new History(path.join(evidence, 'history.jsonl'));
  const client = new HarnessClient(history, 'probe', { headersMs: 1000 });
  t.teardown(async () => {
    history.close();
    await client.close();
    await topology.dispose();
  });
  const viaEntry = async () =>
    (await client.send({ op: 'echo', target: 'entry', endpoint: () => topology.entry('entry'), path: '/echo', body: {} })).operation;
  const direct = async () =>
    (await client.send({ op: 'echo', target: 'front', endpoint: () => topology.component('front').endpoint(8000), path: '/echo' })).operation;
  const times = async (count: number) => {
    const operations: Operation[] = [];
    for (let i = 0; i < count; i++) operations.push(await viaEntry());
    return operations;
  };

  await t.test('latency on the link shows in the measured latency', async (t) => {
    const before = await times(5);
    const toxic = await topology.link('hop').latency({ latency: LATENCY_MS });
    const during = await times(5);
    await toxic.remove();
    const after = await times(5);
    t.ok([...before, ...during, ...after].every((operation) => operation.outcome === 'ok'), 'every request answered');
    // Bounds that hold however busy the machine is: a delay cannot make an answer faster, so each
    // request under the toxic takes the added latency at least; and once it is removed the
    // requests lose most of it again (a busy machine slows both sides alike).
    const fastest = Math.min(...during.map(duration));
    t.ok(fastest >= LATENCY_MS - LATENCY_SLACK_BELOW_MS, `every request under the toxic took ${LATENCY_MS - LATENCY_SLACK_BELOW_MS} ms or more (fastest ${fastest.toFixed(1)} ms)`);
    t.ok(median(after.map(duration)) < median(during.map(duration)) - LATENCY_MS / 2, `removed, the latency goes (median ${median(before.map(duration)).toFixed(1)} before, ${median(during.map(duration)).toFixed(1)} during, ${median(after.map(duration)).toFixed(1)} after)`);
  });

  await t.test('the rest of the toxic set acts on the wire', async (t) => {
    const payload = { blob: 'x'.repeat(64 * 1024) };
    const echo = async () =>
      (await client.send({ op: 'echo', target: 'entry', endpoint: () => topology.entry('entry'), path: '/echo', body: payload })).operation;
    const entry = topology.link('entry');

    let toxic = await entry.bandwidth({ rate: 64 });
    const throttled = await echo();
    await toxic.remove();
    t.equal(throttled.outcome, 'ok');
    t.ok(duration(throttled) >= 900, `64 KB through 64 KB/s took ${duration(throttled).toFixed(0)} ms (>= 900)`);

    // Held on the way up: downstream, Toxiproxy drops held data once the server closes its side.
    toxic = await entry.timeout({ timeout: 0 }, 'upstream');
    t.equal((await echo()).outcome, 'timeout-headers', 'timeout 0 holds the request');
    await toxic.remove();

    toxic = await entry.limitData({ bytes: 10 });
    t.equal((await echo()).outcome, 'closed', 'limit_data closes mid-response');
    await toxic.remove();

    toxic = await entry.slicer({ averageSize: 512, delayMicros: 2000 });
    const sliced = await echo();
    await toxic.remove();
    t.equal(sliced.outcome, 'ok', 'sliced data still arrives whole');
    t.ok(duration(sliced) >= 200, `128 slices 2 ms apart took ${duration(sliced).toFixed(0)} ms (>= 200)`);

    toxic = await entry.slowClose({ delay: 300 });
    t.equal((await echo()).outcome, 'ok', 'slow close still answers');
    await toxic.remove();
  });

  await t.test('reset_peer shows as reset', async (t) => {
    const toxic = await topology.link('entry').resetPeer();
    t.equal((await viaEntry()).outcome, 'reset');
    await toxic.remove();
    t.equal((await viaEntry()).outcome, 'ok', 'removing the toxic heals the link');
  });

  await t.test('a cut link shows as refused, and heals', async (t) => {
    await topology.link('entry').cut();
    t.equal((await viaEntry()).outcome, 'refused');
    await topology.link('entry').heal();
    t.equal((await viaEntry()).outcome, 'ok');
  });

  await t.test('a paused component shows as a timeout; resume brings it back', async (t) => {
    await topology.component('back').pause();
    t.equal((await topology.component('back').status()).state, 'paused');
    t.equal((await viaEntry()).outcome, 'timeout-headers');
    await topology.component('back').resume();
    t.equal((await viaEntry()).outcome, 'ok');
  });

  await t.test('kill -9 shows as refused, on the link to it too; restart recovers', async (t) => {
    await topology.component('front').kill();
    t.match(await topology.component('front').status(), { state: 'exited', exitCode: 137 });
    t.equal((await direct()).outcome, 'refused');
    t.equal((await viaEntry()).outcome, 'refused', 'the link to a dead component refuses, as its port would');
    await topology.component('front').restart();
    t.equal((await topology.component('front').status()).state, 'running');
    t.equal((await viaEntry()).outcome, 'ok');
    t.equal((await direct()).outcome, 'ok');
  });

  await t.test('a link cut while its far end is down stays cut when the far end comes back', async (t) => {
    await topology.component('front').kill();
    await topology.link('entry').cut();
    await topology.component('front').restart();
    t.equal((await viaEntry()).outcome, 'refused', 'still cut');
    await topology.link('entry').heal();
    t.equal((await viaEntry()).outcome, 'ok');
  });

  await t.test('operator commands run inside the component; logs are readable', async (t) => {
    const count = (outcome: Operation['outcome']) => history.operations.filter((operation) => operation.outcome === outcome).length;
    const result = await topology.component('back').exec(['node', 'ctl.ts', 'count']);
    t.equal(result.exitCode, 0);
    // A request that failed on the way back (reset, timed out while paused) may still have been served.
    const served = Number(result.output.trim());
    const sent = history.operations.length;
    t.ok(served >= count('ok') && served <= sent, `served ${served}: every ok (${count('ok')}), at most every request (${sent})`);
    t.match(await topology.component('back').logs(), /"event":"ready"/);
  });

  await t.test('a graceful stop ends the component cleanly; restart brings it back', async (t) => {
    await topology.component('back').stop();
    t.match(await topology.component('back').status(), { state: 'exited', exitCode: 0 }, 'SIGTERM handler ran');
    t.not((await viaEntry()).outcome, 'ok', 'nothing answers behind the link');
    await topology.component('back').restart();
    t.equal((await viaEntry()).outcome, 'ok');
  });

  await t.test('a memory limit applies to the component', async (t) => {
    const limit = 192 * 2 ** 20;
    await topology.component('back').limitMemory(limit);
    const { cgroup, heap } = JSON.parse((await topology.component('back').exec(['node', 'ctl.ts', 'memory'])).output) as {
      cgroup: number | null;
      heap: number;
    };
    if (kind === 'docker') t.equal(cgroup, limit, 'the cgroup limit is set');
    // V8's limit adds the young generation to the old space we cap; unlimited it is gigabytes.
    else t.ok(heap >= limit && heap <= limit * 2.5, `the V8 heap limit follows (${heap} bytes)`);
    t.equal((await viaEntry()).outcome, 'ok', 'still serving');
  });

  t.equal(history.openCount, 0, 'no request left without an outcome');
}

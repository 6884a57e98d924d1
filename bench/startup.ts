// Benchmark for bench/startup.md: time to a ready topology of 8 containers with cached images,
// the latency one Toxiproxy hop adds against a direct connection (same run, interleaved), and
// the time of a setup that finds everything present.
//   node bench/startup.ts [--runtime docker|process] [--rounds N] [--requests N]
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { HarnessClient } from '../harness/history/client.ts';
import { History } from '../harness/history/history.ts';
import { createRuntime } from '../harness/runtime/create.ts';
import type { RuntimeKind } from '../harness/runtime/types.ts';
import { setup } from '../harness/setup/setup.ts';
import { HARNESS, Topology } from '../harness/topology/topology.ts';

const { values } = parseArgs({ options: { runtime: { type: 'string', default: 'docker' }, rounds: { type: 'string', default: '5' }, requests: { type: 'string', default: '1000' } } });
const kind = values.runtime as RuntimeKind;
const appDir = path.join(import.meta.dirname, '../fixtures/echo');
const ECHOES = 7; // plus Toxiproxy: 8 containers

function eightComponents(): Topology {
  const topology = new Topology();
  for (let i = 1; i <= ECHOES; i++) {
    topology.component(`echo${i}`, () => ({
      program: { executable: 'node', args: ['back.ts'], appDir },
      ports: [8080],
      env: { PORT: '8080' },
      ready: { kind: 'log', pattern: /"event":"ready"/ },
    }));
    topology.link(`to-echo${i}`, { from: HARNESS, to: `echo${i}`, port: 8080 });
  }
  return topology;
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
};
const ms = (value: number) => value.toFixed(2);

let started = performance.now();
await setup({ engine: kind === 'docker', say: () => undefined });
console.log(`setup with everything present: ${ms(performance.now() - started)} ms`);

const readyTimes: number[] = [];
for (let round = 0; round < Number(values.rounds); round++) {
  started = performance.now();
  const runtime = await createRuntime(kind, { logDir: path.join(os.tmpdir(), 'ijiwaru-bench') });
  await using topology = await eightComponents().start(runtime);
  readyTimes.push(performance.now() - started);
  if (round === 0) {
    const history = new History();
    const client = new HarnessClient(history, 'bench');
    const direct: number[] = [];
    const proxied: number[] = [];
    for (let i = 0; i < Number(values.requests); i++) {
      for (const [sample, endpoint] of [
        [direct, () => topology.component('echo1').endpoint(8080)],
        [proxied, () => topology.entry('to-echo1')],
      ] as const) {
        const { operation } = await client.send({ op: 'echo', target: 'echo1', endpoint, path: '/echo', body: {} });
        if (operation.outcome !== 'ok') throw new Error(`request failed: ${operation.outcome}`);
        sample.push(operation.endMs - operation.startMs);
      }
    }
    await client.close();
    console.log(`requests per path: ${direct.length} (new connection each, interleaved)`);
    console.log(`direct:    median ${ms(quantile(direct, 0.5))} ms, p99 ${ms(quantile(direct, 0.99))} ms`);
    console.log(`via proxy: median ${ms(quantile(proxied, 0.5))} ms, p99 ${ms(quantile(proxied, 0.99))} ms`);
    // Each proxied request is paired with the direct one sent just before it.
    const added = proxied.map((value, i) => value - (direct[i] ?? NaN));
    console.log(`added by one hop (paired): median ${ms(quantile(added, 0.5))} ms, p99 ${ms(quantile(added, 0.99))} ms`);
  }
}
console.log(`ready topology of ${ECHOES + 1} ${kind === 'docker' ? 'containers' : 'processes'} (${readyTimes.length} rounds): median ${ms(quantile(readyTimes, 0.5))} ms, max ${ms(Math.max(...readyTimes))} ms`);

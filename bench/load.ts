// For bench/load.md: the highest request rate the fault path (k6 → Toxiproxy → target) sustains
// on this machine against a trivial target (the echo server), and k6 straight at the same
// target, in the same run, rate steps interleaved.
//   node bench/load.ts [--duration 10]
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runCommand } from '../harness/command.ts';
import { createRuntime } from '../harness/runtime/create.ts';
import { toolPath } from '../harness/setup/tools.ts';
import { HARNESS, Topology } from '../harness/topology/topology.ts';

const { values } = parseArgs({ options: { duration: { type: 'string', default: '10' } } });
const RATES = [1000, 2000, 4000, 6000, 7000, 8000, 10000, 12000];
const appDir = path.join(import.meta.dirname, '../fixtures/echo');
const script = path.join(import.meta.dirname, '../load/rate-probe.ts');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'ijiwaru-rate-'));

const runtime = await createRuntime('docker', { logDir: path.join(scratch, 'logs') });
await using topology = await new Topology()
  .component('back', () => ({
    program: { executable: 'node', args: ['back.ts'], appDir },
    ports: [8080],
    env: { PORT: '8080' },
    ready: { kind: 'log', pattern: /"event":"ready"/ },
  }))
  .link('load', { from: HARNESS, to: 'back', port: 8080 })
  .start(runtime);

const paths = {
  direct: topology.component('back').endpoint(8080),
  toxiproxy: topology.entry('load'),
};

interface Step {
  achievedPerS: number;
  failed: number;
  p95Ms: number;
  dropped: number;
}

async function probe(target: { host: string; port: number }, rate: number): Promise<Step> {
  const summary = path.join(scratch, `summary-${target.port}-${rate}.json`);
  const result = await runCommand(toolPath('k6'), ['run', '--quiet', '--summary-export', summary, script], {
    env: { ...process.env, K6_NO_USAGE_REPORT: 'true', K6_AUTO_EXTENSION_RESOLUTION: 'false', TARGET: `${target.host}:${target.port}`, RATE: String(rate), DURATION: values.duration },
  });
  if (result.code !== 0) throw new Error(`k6 failed: ${result.stderr.slice(-400)}`);
  const metrics = (JSON.parse(readFileSync(summary, 'utf8')) as { metrics: Record<string, Record<string, number>> }).metrics;
  return {
    achievedPerS: metrics.http_reqs?.rate ?? 0,
    failed: metrics.http_req_failed?.value ?? 1,
    p95Ms: metrics.http_req_duration?.['p(95)'] ?? NaN,
    dropped: metrics.dropped_iterations?.count ?? 0,
  };
}

/** Sustained: under 1 % of the arrivals dropped (k6 had no VU free for them) and under 1 % failed. */
const sustained = (step: Step, rate: number) => step.dropped <= rate * Number(values.duration) * 0.01 && step.failed < 0.01;
const best: Record<keyof typeof paths, number> = { direct: 0, toxiproxy: 0 };

console.log('| rate asked (/s) | path | achieved (/s) | failed | dropped | p95 (ms) | sustained |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const rate of RATES) {
  for (const name of ['direct', 'toxiproxy'] as const) {
    const step = await probe(paths[name], rate);
    const ok = sustained(step, rate);
    if (ok) best[name] = Math.max(best[name], step.achievedPerS);
    console.log(`| ${rate} | ${name} | ${step.achievedPerS.toFixed(0)} | ${(step.failed * 100).toFixed(2)} % | ${step.dropped} | ${step.p95Ms.toFixed(1)} | ${ok ? 'yes' : 'no'} |`);
  }
}
console.log(`\nhighest sustained: direct ${best.direct.toFixed(0)}/s, through Toxiproxy ${best.toxiproxy.toFixed(0)}/s, ratio ${(best.toxiproxy / best.direct).toFixed(2)}`);

// Calibration for bench/capacity.md: one relay and one card server, k6 closed-loop load on the
// relay with as many virtual users as the relay has connections, at a compressed time scale.
// Time runs TIME_SCALE times faster: messages per second ÷ time scale × 600 = messages per 10
// minutes at time scale 1.
//   node bench/capacity.ts [--time-scale N] [--duration 20s]
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runCommand } from '../harness/command.ts';
import { createRuntime } from '../harness/runtime/create.ts';
import { toolPath } from '../harness/setup/tools.ts';
import { HARNESS, Topology } from '../harness/topology/topology.ts';
import { encrypt } from '../targets/reference/lib/cipher.ts';
import { CARD_SERVER_PORT, RELAY_PORT } from '../targets/reference/topology.ts';

const { values } = parseArgs({ options: { 'time-scale': { type: 'string', default: '10' }, duration: { type: 'string', default: '20s' } } });
const timeScale = Number(values['time-scale']);
const appDir = path.join(import.meta.dirname, '../targets/reference');
const script = path.join(import.meta.dirname, '../load/relay-capacity.ts');
const ready = { kind: 'log', pattern: /"event":"ready"/ } as const;

const cases = [
  { label: '70 connections, 1 HSM board', connections: 70, boards: 1 },
  { label: '94 connections, 1 HSM board', connections: 94, boards: 1 },
  { label: '94 connections, 2 HSM boards', connections: 94, boards: 2 },
];

for (const { label, connections, boards } of cases) {
  const env = {
    REFERENCE_LEVEL: 'fixed',
    TIME_SCALE: String(timeScale),
    RELAY_MAX_CONNECTIONS: String(connections),
    HSM_BOARDS: String(boards),
    MONITOR_INTERVAL_MS: String(1e12),
  };
  const runtime = await createRuntime('docker', { logDir: path.join(os.tmpdir(), 'ijiwaru-capacity') });
  await using topology = await new Topology()
    .component('card-server', () => ({ program: { executable: 'node', args: ['card-server.ts'], appDir }, ports: [CARD_SERVER_PORT], env, ready }))
    .component('relay', (context) => ({
      program: { executable: 'node', args: ['relay.ts'], appDir },
      ports: [RELAY_PORT],
      env: { ...env, CARD_SERVER: context.link('relay-card-server') },
      ready,
    }))
    .link('relay-card-server', { from: 'relay', to: 'card-server', port: CARD_SERVER_PORT })
    .link('load', { from: HARNESS, to: 'relay', port: RELAY_PORT })
    .start(runtime);
  const target = topology.entry('load');
  const summary = path.join(mkdtempSync(path.join(os.tmpdir(), 'ijiwaru-k6-')), 'summary.json');
  const result = await runCommand(toolPath('k6'), ['run', '--quiet', '--summary-export', summary, script], {
    env: {
      ...process.env,
      K6_NO_USAGE_REPORT: 'true',
      K6_AUTO_EXTENSION_RESOLUTION: 'false',
      TARGET: `${target.host}:${target.port}`,
      PAYLOAD: encrypt({ residentCode: 'R0001' }),
      VUS: String(connections),
      DURATION: values.duration,
    },
  });
  if (result.code !== 0) throw new Error(`k6 failed: ${result.stderr.slice(-500)}`);
  const metrics = (JSON.parse(readFileSync(summary, 'utf8')) as { metrics: Record<string, Record<string, number>> }).metrics;
  const rate = metrics.http_reqs?.rate ?? NaN;
  const failed = metrics.http_req_failed?.value ?? NaN;
  const p50 = metrics.http_req_duration?.med ?? NaN;
  console.log(
    `${label}: ${rate.toFixed(1)} msg/s at time scale ${timeScale} → ${Math.round((rate / timeScale) * 600)} per 10 min at scale 1; ` +
      `failed ${(failed * 100).toFixed(2)} %; median ${(p50 * timeScale).toFixed(0)} ms at scale 1`,
  );
}

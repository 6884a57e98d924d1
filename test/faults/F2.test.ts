import { readFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { judgeF2, type F2Message, type F2Observations } from '../../faults/F2-timer-race.ts';
import { runSeeds, checkSeedRuns, SEEDS } from '../helpers/mean-runs.ts';

function observations(overrides: Partial<F2Observations> = {}): F2Observations {
  const messages: F2Message[] = [];
  for (let i = 0; i < 40; i++) {
    const relay = i % 2 === 0 ? 'relay-1' : 'relay-2';
    const timedOut = i % 3 === 0;
    messages.push({
      relay,
      requestId: `f2-${relay}-${i}`,
      startMs: 1000 + i * 50,
      endMs: 1000 + i * 50 + (timedOut ? 502 : 470),
      outcome: timedOut ? 'server-error' : 'ok',
      status: timedOut ? 504 : 200,
      ...(timedOut && { code: 'timeout' }),
    });
  }
  return {
    timeoutMs: 500,
    relays: ['relay-1', 'relay-2'],
    baselineMs: { 'relay-1': 70, 'relay-2': 72 },
    loopsPerRelay: 40,
    coarseStepMs: 10,
    crossingMs: { 'relay-1': 380, 'relay-2': 380 },
    stepMs: 2,
    jitterMs: 3,
    plannedLatencyMs: { 'relay-1': { from: 356, to: 392, steps: 2 }, 'relay-2': { from: 357, to: 393, steps: 2 } },
    steps: [
      { relay: 'relay-1', phase: 'coarse', index: 0, latencyMs: 380, jitterMs: 3, fromMs: 900, toMs: 1500 },
      { relay: 'relay-2', phase: 'coarse', index: 0, latencyMs: 380, jitterMs: 3, fromMs: 900, toMs: 1500 },
      { relay: 'relay-1', phase: 'sweep', index: 0, latencyMs: 368, jitterMs: 3, fromMs: 1500, toMs: 2500 },
      { relay: 'relay-2', phase: 'sweep', index: 0, latencyMs: 369, jitterMs: 3, fromMs: 1500, toMs: 2500 },
      { relay: 'relay-1', phase: 'sweep', index: 1, latencyMs: 370, jitterMs: 3, fromMs: 2500, toMs: 3500 },
      { relay: 'relay-2', phase: 'sweep', index: 1, latencyMs: 371, jitterMs: 3, fromMs: 2500, toMs: 3500 },
    ],
    statuses: [
      { relay: 'relay-1', atMs: 1200, state: 'running', exitCode: null },
      { relay: 'relay-2', atMs: 1200, state: 'running', exitCode: null },
      { relay: 'relay-1', atMs: 3600, state: 'running', exitCode: null },
      { relay: 'relay-2', atMs: 3600, state: 'running', exitCode: null },
    ],
    messages,
    lastLogLines: { 'relay-1': [], 'relay-2': [] },
    sweepCompleted: true,
    ...overrides,
  };
}

t.test('judgeF2: relays alive through the sweep, 504s included, is a pass', async (t) => {
  const judgement = judgeF2(observations());
  t.equal(judgement.verdict, 'pass');
  t.equal(judgement.detectedAfterMs, null);
  t.match(judgement.summary, /2 relays alive .* 14 timeouts 504, 0 resets/);
});

t.test('judgeF2: a relay that exits non-zero with its requests reset is a finding', async (t) => {
  const base = observations();
  const dying: F2Message[] = [
    { relay: 'relay-2', requestId: 'f2-relay-2-90', startMs: 2700, endMs: 2950.5, outcome: 'reset', code: 'ECONNRESET' },
    { relay: 'relay-2', requestId: 'f2-relay-2-91', startMs: 2800, endMs: 2951, outcome: 'closed', code: 'UND_ERR_SOCKET' },
  ];
  const judgement = judgeF2({
    ...base,
    messages: [...base.messages, ...dying],
    statuses: [...base.statuses, { relay: 'relay-2', atMs: 3050, state: 'exited', exitCode: 134 }],
    sweepCompleted: false,
  });
  t.equal(judgement.verdict, 'finding');
  t.equal(judgement.detectedAfterMs, 2950.5, 'the first reset decides');
  t.equal(judgement.trigger?.relay, 'relay-2');
  t.equal(judgement.trigger?.exitCode, 134);
  t.equal(judgement.trigger?.step?.latencyMs, 371, 'the latency setting active when it died');
  t.equal(judgement.trigger?.inFlight.length, 2);
  t.match(judgement.summary, /relay-2 exited with status 134 at added latency 371±3 ms/);
});

t.test('judgeF2: an exit status alone decides; a sweep cut short without one is inconclusive', async (t) => {
  const base = observations();
  const exited = judgeF2({ ...base, statuses: [...base.statuses, { relay: 'relay-1', atMs: 3100, state: 'exited', exitCode: 139 }] });
  t.equal(exited.verdict, 'finding');
  t.equal(exited.detectedAfterMs, 3100);
  t.equal(judgeF2({ ...base, sweepCompleted: false }).verdict, 'inconclusive');
  t.equal(judgeF2({ ...base, messages: [] }).verdict, 'inconclusive');
});

const EXPECTED: Array<[string, 'finding' | 'pass']> = [
  ['2016-01', 'finding'],
  ['fixed', 'pass'],
];

t.test('F2 on docker: reference@2016-01 finding, reference@fixed pass, every seed', async (t) => {
  // The two levels run side by side (separate systems) to keep the file's time down.
  const byLevel = await Promise.all(EXPECTED.map(([level, verdict]) => runSeeds(t, 'F2', level, verdict)));
  for (const [index, [level, verdict]] of EXPECTED.entries()) {
    await t.test(`F2 on reference@${level}, docker, seeds ${SEEDS[verdict].join(',')}: ${verdict}`, async (t) => {
      const runs = byLevel[index] ?? [];
      t.equal(runs.length, SEEDS[verdict].length);
      checkSeedRuns(t, runs, verdict);
      for (const { seed, outDir, report } of runs) {
        const evidence = report.results[0]?.evidence ?? [];
        if (verdict === 'finding') t.ok(evidence.some((file) => file.endsWith('finding.json')), `seed ${seed}: finding evidence`);
        t.ok(evidence.some((file) => file.endsWith('observations.json')), `seed ${seed}: observations in the evidence`);
        const observed = JSON.parse(readFileSync(path.join(outDir, 'evidence/F2/observations.json'), 'utf8')) as F2Observations;
        t.equal(judgeF2(observed).verdict, verdict, `seed ${seed}: re-judged offline from observations.json`);
      }
    });
  }
});

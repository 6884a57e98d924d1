import path from 'node:path';
import t from 'tap';
import { judgeF2 } from '../../faults/F2-timer-race.ts';
import { statesOf } from '../../faults/kit/evidence.ts';
import { HISTORY_FILE, readHistory, type Operation, type Recorded } from '../../harness/history/history.ts';
import { history, request, state, toxic, VIEW } from '../helpers/histories.ts';
import { runSeeds, checkSeedRuns, type SeedRun } from '../helpers/mean-runs.ts';

/** Three findings: a run stops at its first proof, sometimes before the sampler saw the relay's exit; one of three sees it. */
const SEEDS = { finding: [1, 2, 3], pass: [1, 2] } as const;

/** Traffic through both relays across the timeout: some answers 504, the rest served. */
function swept(): Recorded {
  const requests: Operation[] = [];
  for (let i = 0; i < 40; i++) {
    const timedOut = i % 3 === 0;
    requests.push(request({ target: i % 2 === 0 ? 'relay-1' : 'relay-2', op: 'search', startMs: 1000 + i * 50, endMs: 1000 + i * 50 + (timedOut ? 502 : 470), outcome: timedOut ? 'server-error' : 'ok', status: timedOut ? 504 : 200 }));
  }
  return history({
    requests,
    injections: [toxic('relay-1-card-server-1', 900, 368), toxic('relay-2-card-server-1', 900, 371)],
    queries: [state('relay-1', 3600, 'running'), state('relay-2', 3600, 'running')],
    notes: [{ type: 'note', atMs: 3500, name: 'sweep-complete' }],
  });
}

t.test('judgeF2: relays alive through the sweep, timeouts included, is a pass', async (t) => {
  const judgement = judgeF2(swept(), VIEW);
  t.equal(judgement.verdict, 'pass', judgement.summary);
  t.equal(judgement.detectedAfterMs, null);
  t.match(judgement.summary, /2 relays alive through 2 link latency settings .* 14 timed out, none dropped/);
});

t.test('judgeF2: a relay that terminates, or drops its work with the connection, is a finding', async (t) => {
  const base = swept();
  const dying = [
    request({ target: 'relay-2', startMs: 2700, endMs: 2950.5, outcome: 'reset', code: 'ECONNRESET' }),
    request({ target: 'relay-2', startMs: 2800, endMs: 2951, outcome: 'closed', code: 'UND_ERR_SOCKET' }),
  ];
  const died = judgeF2(history({ ...base, requests: [...base.requests, ...dying], queries: [...base.queries, state('relay-2', 3050, 'exited', 134)], notes: [] }), VIEW);
  t.equal(died.verdict, 'finding');
  t.equal(died.detectedAfterMs, 2951, 'the first connection lost decides (rounded)');
  t.match(died.summary, /relay-2 dropped 2 message\(s\) in flight with their connections with 371 ms added/);
  const exited = judgeF2(history({ ...base, queries: [...base.queries, state('relay-1', 3100, 'exited', 139)] }), VIEW);
  t.equal(exited.verdict, 'finding', 'an exit status alone decides');
  t.equal(exited.detectedAfterMs, 3100);
  t.match(exited.summary, /relay-1 terminated \(exit status 139\)/);
});

t.test('judgeF2: a sweep cut short, or no traffic, is inconclusive', async (t) => {
  const base = swept();
  t.equal(judgeF2(history({ ...base, notes: [] }), VIEW).verdict, 'inconclusive');
  t.equal(judgeF2(history({ ...base, requests: [] }), VIEW).verdict, 'inconclusive');
  // Run 14 of bench/tests.md: a saturated host, 28 ok against 2100 timed out.
  const starved = base.requests.map((operation, i) => (i % 10 === 0 ? operation : { ...operation, outcome: 'server-error' as const, status: 504, endMs: operation.startMs + 502 }));
  const judgement = judgeF2(history({ ...base, requests: starved }), VIEW);
  t.equal(judgement.verdict, 'inconclusive', judgement.summary);
  t.match(judgement.summary, /nearly every message timed out/);
});

const EXPECTED: Array<[string, 'finding' | 'pass']> = [
  ['2016-01', 'finding'],
  ['fixed', 'pass'],
];

t.test('F2 on docker: reference@2016-01 finding, reference@fixed pass, every seed', async (t) => {
  // One level after the other: side by side, beside another file, they saturated the 2-core host
  // until the relays' answers timed out at any latency (run 14 of bench/tests.md).
  const byLevel: SeedRun[][] = [];
  for (const [level, verdict] of EXPECTED) byLevel.push(await runSeeds(t, 'F2', level, SEEDS[verdict]));
  for (const [index, [level, verdict]] of EXPECTED.entries()) {
    await t.test(`F2 on reference@${level}, docker, seeds ${SEEDS[verdict].join(',')}: ${verdict}`, async (t) => {
      const runs = byLevel[index] ?? [];
      let abortsSeen = 0;
      t.equal(runs.length, SEEDS[verdict].length);
      await checkSeedRuns(t, runs, verdict);
      for (const { seed, outDir, report } of runs) {
        const evidence = report.results[0]?.evidence ?? [];
        t.ok(evidence.some((file) => file.endsWith('judgement.json')), `seed ${seed}: the judgement in the evidence (${outDir})`);
        // CONTRACT.md 2: an abort is exit status 134, as the engine reports it.
        const recorded = readHistory(path.join(outDir, 'evidence', 'F2', HISTORY_FILE));
        const targets = [...new Set(recorded.queries.map((query) => query.target))];
        const exits = targets.flatMap((target) => statesOf(recorded, target)).filter((sample) => sample.state === 'exited').map((sample) => sample.exitCode);
        // A run stops at its first proof, which may come before the sampler saw the relay exit.
        if (verdict === 'finding') t.ok(exits.every((code) => code === 134), `seed ${seed}: every relay exit seen was 134 (${exits.join(', ') || 'none seen before the proof'})`);
        if (verdict === 'finding') abortsSeen += exits.length;
      }
      if (verdict === 'finding') t.ok(abortsSeen > 0, `an abort seen on at least one seed (${abortsSeen})`);
    });
  }
});

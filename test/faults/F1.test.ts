import { existsSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { judgeF1, pollSchedule, type F1Observations, type ProbeFailure } from '../../faults/F1-monitor-collision.ts';
import { Rng } from '../../harness/seed.ts';
import { checkSeedRuns, runSeeds, SEEDS } from '../helpers/mean-runs.ts';

// ---------------------------------------------------------------------------------------------
// The pure judge, on hand-made observations.

const RELAYS = ['relay-1', 'relay-2'];

function observations(overrides: Partial<F1Observations> = {}): F1Observations {
  return {
    relays: RELAYS,
    timeoutThreshold: 3,
    relayTimeoutMs: 500,
    clientTimeoutMs: 2000,
    budget: { polls: 150, ms: 20_000 },
    failures: [],
    served: RELAYS.map((relay) => ({ relay, ok: 500, failed: 0, last: 'ok', lastAtMs: 19_990 })),
    polls: RELAYS.map((relay, index) => ({ index, relay, offsetMs: index, startMs: 10 + index, endMs: 400, exitCode: 0, output: '{"polled":4}' })),
    statuses: RELAYS.map((relay) => ({ relay, atMs: 20_100, state: 'running', exitCode: null })),
    logs: RELAYS.map((relay) => ({ relay, atMs: 20_200, interrupted: [], tail: ['{"event":"ready"}'] })),
    endedAtMs: 20_050,
    ...overrides,
  };
}

const timeout = (relay: string, atMs: number): ProbeFailure => ({
  relay,
  loop: 0,
  seq: atMs,
  atMs,
  durationMs: 510,
  outcome: 'server-error',
  status: 504,
  code: 'timeout',
});

t.test('judge: relays serving throughout is a pass', async (t) => {
  const judgement = judgeF1(observations());
  t.equal(judgement.verdict, 'pass');
  t.equal(judgement.detectedAfterMs, null);
  t.match(judgement.summary, /2 monitor polls .* 1000 exchanges served, 0 failed/);
});

t.test('judge: sustained timeouts on a running relay is a finding (silent hang)', async (t) => {
  // Two probes time out together; a third, sent after the first had timed out, times out too.
  const judgement = judgeF1(
    observations({
      failures: [timeout('relay-2', 1200), timeout('relay-2', 1250), timeout('relay-2', 1720)],
      statuses: [{ relay: 'relay-2', atMs: 1730, state: 'running', exitCode: null }, ...observations().statuses],
    }),
  );
  t.equal(judgement.verdict, 'finding');
  t.equal(judgement.detectedAfterMs, 1730, 'decided at the status check after the third timeout');
  t.equal(judgement.decidedBy?.kind, 'unresponsive');
  t.equal(judgement.decidedBy?.relay, 'relay-2');
  t.equal(judgement.decidedBy?.collidingPoll?.index, 1, 'the poll of relay-2 before the hang');
  t.match(judgement.summary, /HSM unresponsive on relay-2: 3 ic-exchange timeouts/);
});

t.test('judge: one stall that times out every probe in flight at once is not a hang', async (t) => {
  const judgement = judgeF1(
    observations({
      failures: [timeout('relay-1', 5000), timeout('relay-1', 5002), timeout('relay-1', 5004), timeout('relay-1', 5010)],
      statuses: [{ relay: 'relay-1', atMs: 5020, state: 'running', exitCode: null }, ...observations().statuses],
    }),
  );
  t.equal(judgement.verdict, 'pass');
  t.match(judgement.summary, /4 failed/);
});

t.test('judge: timeouts on a relay that has exited are not a hang', async (t) => {
  const judgement = judgeF1(
    observations({
      failures: [timeout('relay-1', 600), timeout('relay-1', 1200), timeout('relay-1', 1800)],
      served: [
        { relay: 'relay-1', ok: 10, failed: 3, last: 'ECONNREFUSED', lastAtMs: 400 },
        { relay: 'relay-2', ok: 500, failed: 0, last: 'ok', lastAtMs: 19_990 },
      ],
      statuses: [
        { relay: 'relay-1', atMs: 1810, state: 'exited', exitCode: 134 },
        { relay: 'relay-1', atMs: 20_100, state: 'exited', exitCode: 134 },
        { relay: 'relay-2', atMs: 20_100, state: 'running', exitCode: null },
      ],
    }),
  );
  t.equal(judgement.verdict, 'inconclusive');
  t.equal(judgement.detectedAfterMs, null);
});

t.test('judge: an hsm-interrupted answer or log line is a finding, the earliest decides', async (t) => {
  const answered = judgeF1(
    observations({
      failures: [{ relay: 'relay-1', loop: 2, seq: 40, atMs: 900, durationMs: 110, outcome: 'server-error', status: 503, code: 'hsm-interrupted' }],
      logs: [
        { relay: 'relay-1', atMs: 1500, interrupted: ['{"event":"hsm-interrupted","board":0}'], tail: [] },
        { relay: 'relay-2', atMs: 1600, interrupted: [], tail: [] },
      ],
    }),
  );
  t.equal(answered.verdict, 'finding');
  t.equal(answered.detectedAfterMs, 900);
  t.equal(answered.decidedBy?.kind, 'hsm-interrupted-answer');

  const logged = judgeF1(observations({ logs: [{ relay: 'relay-2', atMs: 1600, interrupted: ['{"event":"hsm-interrupted"}'], tail: [] }] }));
  t.equal(logged.verdict, 'finding');
  t.equal(logged.detectedAfterMs, 1600);
  t.equal(logged.decidedBy?.kind, 'hsm-interrupted-log');
});

t.test('poll schedule: seeded, both relays, every offset swept', async (t) => {
  const a = pollSchedule(new Rng(7), RELAYS, 20);
  t.same(a, pollSchedule(new Rng(7), RELAYS, 20), 'the same seed gives the same schedule');
  t.same(new Set(a.map((poll) => poll.relay)), new Set(RELAYS));
  t.equal(new Set(a.slice(0, 10).map((poll) => poll.offsetMs)).size, 10, 'ten polls sweep ten offsets');
});

// ---------------------------------------------------------------------------------------------
// The fault against the reference on docker: a finding at 2016-01 (silent hang), a pass when fixed.

const EXPECTED: Record<string, 'finding' | 'pass'> = { '2016-01': 'finding', fixed: 'pass' };

// One level, then the next, one run at a time (tap runs subtests in order): a host busy with two
// systems at once starves the relays, which is another test.
for (const [level, expected] of Object.entries(EXPECTED)) {
  t.test(`F1 on reference@${level}, docker, seeds ${SEEDS[expected].join(',')}: ${expected}`, async (t) => {
    const runs = await runSeeds(t, 'F1', level, expected);
    checkSeedRuns(t, runs, expected);
    for (const { seed, outDir } of runs) {
      for (const file of ['evidence/F1/observations.json', 'evidence/F1/judgement.json', 'evidence/F1/history.jsonl', 'evidence/F1/logs/relay-1.log']) {
        t.ok(existsSync(path.join(outDir, file)), `seed ${seed}: ${file} exists`);
      }
    }
  });
}

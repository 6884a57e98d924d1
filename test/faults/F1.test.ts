import t from 'tap';
import { judgeF1 } from '../../faults/F1-monitor-collision.ts';
import type { Operation, Recorded } from '../../harness/history/history.ts';
import { exec, history, request, state, VIEW } from '../helpers/histories.ts';
import { proveSide } from '../helpers/mean-runs.ts';
import { F1_CHECK } from '../helpers/side-checks.ts';

// ---------------------------------------------------------------------------------------------
// The pure judge, on hand-built histories: harm decided by effect, whatever the words.

const POLL = VIEW.operator.relayPollNow;
const work = (target: string, startMs: number, endMs: number, outcome: Operation['outcome'] = 'ok', extra: Partial<Operation> = {}) =>
  request({ target, op: 'ic-exchange', startMs, endMs, outcome, ...extra });
const healthy = (): Recorded =>
  history({
    requests: ['relay-1', 'relay-2'].flatMap((relay) => [work(relay, 0, 20), work(relay, 19_000, 19_020)]),
    injections: [exec('relay-1', 100, POLL), exec('relay-2', 200, POLL)],
    queries: [state('relay-1', 20_000, 'running'), state('relay-2', 20_000, 'running')],
  });

t.test('judgeF1: polls during HSM work with every exchange served is a pass', async (t) => {
  const judgement = judgeF1(healthy(), VIEW);
  t.equal(judgement.verdict, 'pass', judgement.summary);
  t.match(judgement.summary, /2 monitor polls during HSM work on 2 relays: 4 exchanges served, 0 failed/);
});

t.test('judgeF1: sustained hangs on a running relay are a finding, whatever the timeout looks like', async (t) => {
  const base = healthy();
  for (const [name, hang] of [
    ['client gave up', { outcome: 'timeout-headers' as const, code: 'UND_ERR_HEADERS_TIMEOUT' }],
    ['the relay answered 504', { outcome: 'server-error' as const, status: 504 }],
  ] as const) {
    const hung = history({ ...base, requests: [...base.requests, work('relay-2', 500, 2500, hang.outcome, hang), work('relay-2', 510, 2510, hang.outcome, hang), work('relay-2', 2600, 4600, hang.outcome, hang)], queries: [...base.queries, state('relay-2', 4700, 'running')] });
    const judgement = judgeF1(hung, VIEW);
    t.equal(judgement.verdict, 'finding', `${name}: ${judgement.summary}`);
    t.equal(judgement.detectedAfterMs, 4700, `${name}: decided when the relay was seen running after the third`);
  }
  const stall = history({ ...base, requests: [work('relay-2', 500, 2500, 'timeout-headers'), work('relay-2', 510, 2510, 'timeout-headers'), work('relay-2', 520, 2520, 'timeout-headers'), ...base.requests], queries: [...base.queries, state('relay-2', 4700, 'running')] });
  t.equal(judgeF1(stall, VIEW).verdict, 'pass', 'one stall that times out everything in flight at once is no hang');
});

t.test('judgeF1: a lost completion reported in any words is a finding; a dead relay is not this fault', async (t) => {
  const base = healthy();
  for (const reply of [{ status: 503, code: 'hsm-interrupted' }, { status: 500 }, { status: 502, code: 'E-HSM-17' }]) {
    const answered = history({ ...base, requests: [...base.requests, work('relay-1', 880, 900, 'server-error', reply)], queries: [...base.queries, state('relay-1', 1000, 'running')] });
    const judgement = judgeF1(answered, VIEW);
    t.equal(judgement.verdict, 'finding', `${reply.status} ${reply.code ?? ''}: ${judgement.summary}`);
    t.equal(judgement.detectedAfterMs, 900);
  }
  const dead = history({ ...base, requests: [...base.requests, work('relay-1', 880, 900, 'reset')], queries: [...base.queries, state('relay-1', 20_500, 'exited', 134)] });
  t.equal(judgeF1(dead, VIEW).verdict, 'inconclusive');
  t.equal(judgeF1(history({ ...base, injections: [] }), VIEW).verdict, 'inconclusive', 'never polled: nothing was tried');
});

// The finding side on docker; the pass side is F1-fixed.test.ts.
proveSide(t, 'F1', '2016-01', 'finding', F1_CHECK);

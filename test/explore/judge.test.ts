// The experiment's generic checkers, on hand-built histories: what happened to the work and the
// cards decides, whatever words a build answers with; the catalog match is by harm and cause.
import t from 'tap';
import { judgeExperiment } from '../../faults/experiment/judge.ts';
import { NOTES } from '../../faults/experiment/run.ts';
import { AT_THE_RELAY_TIMEOUT, type FaultSpec } from '../../faults/experiment/types.ts';
import type { Note, Operation, Recorded } from '../../harness/history/history.ts';
import { exec, history, request, state, VIEW } from '../helpers/histories.ts';

const note = (name: string, atMs: number, data: Record<string, unknown> = {}): Note => ({ type: 'note', atMs, name, data });
const work = (op: string, startMs: number, fields: Partial<Operation> = {}) =>
  request({ target: 'terminal-1', op, startMs, endMs: startMs + 50, outcome: 'ok', status: 200, ...fields, data: { role: 'work', ...fields.data } });
const probes = (fromMs: number, failing = 0) =>
  Array.from({ length: 10 }, (_, i) => request({ target: 'terminal-1', op: 'search', startMs: fromMs + i * 100, endMs: fromMs + i * 100 + 20, ...(i < failing ? { outcome: 'server-error', status: 503 } : { outcome: 'ok', status: 200 }), data: { role: 'probe' } }));
const read = (op: 'query-ic' | 'query-card', cardId: string, value: string, atMs = 3000) =>
  request({ target: op === 'query-ic' ? 'terminal-1' : 'card-server-1', op, startMs: atMs, endMs: atMs + 5, outcome: 'ok', status: 200, body: op === 'query-ic' ? { state: value } : { status: value }, data: { role: 'probe', cardId } });
const running = ['cs-1', 'relay-1', 'card-server-1'].map((name) => state(name, 4000, 'running'));

/** A three-step experiment (pre-issue, issue, search) with `fault` on step `step`. */
function experiment(fault: FaultSpec, step: number, parts: { requests?: Operation[]; probesFailing?: number; chip?: string; record?: string } = {}): Recorded {
  return history({
    requests: [
      work('pre-issue', 0, { data: { cardId: 'c1' } }),
      work('issue', 100, { data: { cardId: 'c1' } }),
      work('search', 200),
      ...(parts.requests ?? []),
      ...probes(1000, parts.probesFailing),
      read('query-ic', 'c1', parts.chip ?? 'issued'),
      read('query-card', 'c1', parts.record ?? 'issued'),
    ],
    queries: running,
    notes: [note(NOTES.applied, 95, { step, fault, placement: { step } }), note(NOTES.healed, 160, { step }), note(NOTES.probing, 990)],
  });
}

const cut: FaultSpec = { kind: 'link', link: 'cs-1-distributor', mode: 'cut' };

t.test('every checker holds: a pass that says what was tried', async (t) => {
  const judged = judgeExperiment(experiment(cut, 1), VIEW);
  t.equal(judged.verdict, 'pass', judged.summary);
  t.match(judged.summary, /1 fault\(s\) applied, 0 of 3 step\(s\) failed under them, 10 probes served/);
});

t.test('a broken chip after a kill during the write: card integrity, the catalog F8', async (t) => {
  const judged = judgeExperiment(experiment({ kind: 'component', component: 'relay-1', action: 'kill' }, 0, { chip: 'broken', record: 'pre-issued' }), VIEW);
  t.equal(judged.verdict, 'finding');
  t.match(judged.summary, /card-integrity: card c1's chip is broken.*\(matches F8\)/);
});

t.test('chip issued, record not, however the path failed during the issue: card integrity, F7', async (t) => {
  const judged = judgeExperiment(experiment(cut, 1, { record: 'pre-issued' }), VIEW);
  t.match(judged, { verdict: 'finding', summary: /card c1: chip issued, record pre-issued.*\(matches F7\)/ });
  const paused = judgeExperiment(experiment({ kind: 'component', component: 'relay-1', action: 'pause' }, 1, { record: 'pre-issued' }), VIEW);
  t.match(paused, { verdict: 'finding', summary: /\(matches F7\)/ });
  // A chip broken by the line cut during its write, not a restart: the same defect as F8's.
  const broken = judgeExperiment(experiment(cut, 0, { chip: 'broken', record: 'pre-issued' }), VIEW);
  t.match(broken, { verdict: 'finding', summary: /chip is broken.*\(matches F8\)/ });
  // Probes refused after a cut, with no search that waited out its timeout: nobody wrote that down.
  const refused = judgeExperiment(experiment(cut, 1, { probesFailing: 5 }), VIEW);
  t.match(refused, { verdict: 'finding', summary: /liveness: 5 of 10 probes failed.*not in the catalog/ });
});

t.test('work refused once the fault is over, whatever the answer: liveness and blast radius, F3 after a burst, F4 after a slow search', async (t) => {
  for (const [answer, fields] of [
    ['503', { outcome: 'server-error' as const, status: 503 }],
    ['a vendor 429', { outcome: 'client-error' as const, status: 429, code: 'busy' }],
    ['a reset', { outcome: 'reset' as const, code: 'ECONNRESET' }],
  ] as const) {
    const later = work('move', 300, fields);
    const burst = judgeExperiment(experiment({ kind: 'component', component: 'relay-1', action: 'burst' }, 1, { requests: [later], probesFailing: 10 }), VIEW);
    t.match(burst, { verdict: 'finding', summary: /liveness: 10 of 10 probes failed.*blast-radius: 1 step\(s\) no fault touched failed.*\(matches F3\)/ }, `${answer}: ${burst.summary}`);
    // Matched by what the history shows: the search waited out the CS's search timeout (166 ms here), however the link held it.
    const held = experiment({ kind: 'link', link: 'relay-1-card-server-1', mode: 'blackhole' }, 2, { probesFailing: 10 });
    const outlasted = (ms: number) => ({ ...held, requests: held.requests.map((operation) => (operation.op === 'search' && operation.data?.['role'] === 'work' ? { ...operation, ...fields, endMs: operation.startMs + ms } : operation)) });
    t.match(judgeExperiment(outlasted(170), VIEW), { verdict: 'finding', summary: /\(matches F4\)/ });
    t.match(judgeExperiment(outlasted(100), VIEW), { verdict: 'finding', summary: /not in the catalog/ }, 'a search failed sooner is no search timeout');
  }
  const stray = judgeExperiment(experiment(cut, 1, { probesFailing: 1 }), VIEW);
  t.equal(stray.verdict, 'pass', 'one stray probe failure is not a refusal');
});

t.test('explicit errors: no answer in time is a finding, unless the fault cut the terminal off itself', async (t) => {
  const hung = work('search', 200, { outcome: 'timeout-headers', data: { role: 'work' } });
  const judged = judgeExperiment({ ...experiment({ kind: 'component', component: 'relay-1', action: 'pause' }, 2), requests: [work('pre-issue', 0), work('issue', 100), hung, ...probes(1000)] }, VIEW);
  t.match(judged, { verdict: 'finding', summary: /explicit-errors: 1 request\(s\) got no answer in time/ });
  const own = judgeExperiment({ ...experiment({ kind: 'link', link: 'terminal-1', mode: 'blackhole' }, 2), requests: [work('pre-issue', 0), work('issue', 100), { ...hung, startMs: 150 }, ...probes(1000)] }, VIEW);
  t.equal(own.verdict, 'pass', own.summary);
});

t.test('a component that exited unasked: no crash, F2 after latency past the relay timeout', async (t) => {
  const base = experiment({ kind: 'link', link: 'relay-1-card-server-1', mode: 'latency>relayTimeoutMs' }, 2);
  const judged = judgeExperiment({ ...base, queries: [...base.queries, state('relay-1', 4100, 'exited', 134)] }, VIEW);
  t.match(judged, { verdict: 'finding', summary: /no-crash: relay-1 exited \(status 134\) unasked.*\(matches F2\)/ });
});

t.test("answers at the relay's timer: its own messages may time out or drop; a relay that dies is F2 whatever its exit status", async (t) => {
  const edge: FaultSpec = { kind: 'link', link: 'relay-1-card-server-1', mode: AT_THE_RELAY_TIMEOUT };
  const own = (outcome: Operation['outcome'], status?: number) =>
    Array.from({ length: 5 }, (_, i) => request({ target: 'relay-1', op: 'search', startMs: 300 + i, endMs: 900 + i, outcome, ...(status !== undefined && { status }), data: { role: 'trigger', phase: 'edge' } }));
  const timedOut = judgeExperiment(experiment(edge, 2, { requests: own('server-error', 504) }), VIEW);
  t.equal(timedOut.verdict, 'pass', timedOut.summary);
  const base = experiment(edge, 2, { requests: own('reset') });
  const died = judgeExperiment({ ...base, queries: [...base.queries, state('relay-1', 4100, 'exited', 1)] }, VIEW);
  t.match(died, { verdict: 'finding', summary: /no-crash: relay-1 exited \(status 1\) unasked.*\(matches F2\)/ });
  t.notMatch(died.summary, /explicit-errors/, "the fault's own messages are no work left unanswered");
  // The probes refused and the step's search that waited out its timeout are the dead relay's doing, not a CS's block.
  const refused = experiment(edge, 2, { requests: own('reset'), probesFailing: 10 });
  const outlasted = refused.requests.map((operation) =>
    operation.op === 'search' && operation.data?.['role'] === 'work' ? { ...operation, endMs: operation.startMs + VIEW.timing.csSearchTimeoutMs + 10, outcome: 'server-error' as const, status: 502 } : operation,
  );
  const explained = judgeExperiment({ ...refused, requests: outlasted, queries: [...refused.queries, state('relay-1', 4100, 'exited', 134)] }, VIEW);
  t.match(explained.summary, /liveness: .*\(matches F2\)$/);
});

t.test('an experiment that never got to its probes is inconclusive', async (t) => {
  const base = experiment(cut, 1);
  t.equal(judgeExperiment({ ...base, requests: base.requests.filter((operation) => operation.data?.['role'] !== 'probe') }, VIEW).verdict, 'inconclusive');
});

t.test("a batch: the console's last word against the card server's records and the notices, whatever it answers in between", async (t) => {
  const start = ['relay-ctl', 'batch-start'];
  const status = ['relay-ctl', 'batch-status'];
  const view = { ...VIEW, operator: { ...VIEW.operator, relayBatchStart: start, relayBatchStatus: status } };
  const batch = { step: 1, batchId: 'b1', municipality: 'ward-1', records: 6 };
  const console = (atMs: number, said: Record<string, unknown>) => ({ ...exec('relay-1', atMs, [...status, 'b1']), detail: { argv: [...status, 'b1'], exitCode: 0, output: `${JSON.stringify({ batchId: 'b1', records: 6, ...said })}\n` } });
  const readBack = (received: number, notices: Array<{ batchId: string; count: number }>) => [
    request({ target: 'card-server-1', op: 'query-batch', startMs: 3200, endMs: 3210, outcome: 'ok', status: 200, body: { records: received }, data: { role: 'probe', batchId: 'b1' } }),
    request({ target: 'card-server-1', op: 'query-notices', startMs: 3220, endMs: 3230, outcome: 'ok', status: 200, body: { notices }, data: { role: 'probe', municipality: 'ward-1' } }),
  ];
  const cutAt3: FaultSpec = { kind: 'link', link: 'relay-1-card-server-1', mode: 'cut' };
  /** search, batch: the fault (if any) on the batch at record 3, the console read last at 3100 ms. */
  const run = (said: Record<string, unknown>, received: number, notices: Array<{ batchId: string; count: number }> = [], fault: FaultSpec | null = cutAt3) =>
    history({
      requests: [work('search', 0), ...probes(1000), ...readBack(received, notices)],
      injections: [exec('relay-1', 90, [...start, 'b1', 'ward-1', '6']), console(3100, said)],
      queries: running,
      notes: [
        note('batch-started', 90, { ...batch }),
        ...(fault ? [note(NOTES.applied, 400, { step: 1, fault, placement: { step: 1, record: 3 } }), note(NOTES.healed, 500, { step: 1 })] : []),
        note(NOTES.probing, 990),
      ],
    });
  const honest = judgeExperiment(run({ status: 'failed', sent: 3, acknowledged: 2 }, 3), view);
  t.equal(honest.verdict, 'pass', `a failed batch said so: ${honest.summary}`);
  t.match(honest.summary, /1 of 2 step\(s\) failed under them/);
  const lied = judgeExperiment(run({ status: 'finished', sent: 6, acknowledged: 6 }, 3), view);
  t.match(lied, { verdict: 'finding', summary: /batch-reconciliation: batch b1: console "finished" with 3 of 6 records.*\(matches F9\)/ });
  const notice = judgeExperiment(run({ status: 'failed', sent: 3, acknowledged: 2 }, 3, [{ batchId: 'b1', count: 6 }]), view);
  t.match(notice, { verdict: 'finding', summary: /"registered" notice for 6 records, 3 arrived/ }, 'a notice for records that never came, whatever the console says');
  const done = judgeExperiment(run({ status: 'finished', sent: 6, acknowledged: 6 }, 6, [{ batchId: 'b1', count: 6 }], null), view);
  t.equal(done.verdict, 'pass', done.summary);
  const untouched = judgeExperiment(run({ status: 'failed', sent: 1, acknowledged: 0 }, 0, [], null), view);
  t.match(untouched, { verdict: 'finding', summary: /blast-radius: batch b1, which no fault touched, ended "failed"/ });
  const stuck = judgeExperiment(run({ status: 'running', sent: 3, acknowledged: 2 }, 2), view);
  t.match(stuck, { verdict: 'finding', summary: /explicit-errors: batch b1's console still "running"/ });
  // The batch is a step without a request of the terminal's: the search after it is step 2, touched by nothing.
  const after = history({ ...run({ status: 'failed', sent: 3, acknowledged: 2 }, 3), requests: [work('search', 0), work('move', 600, { outcome: 'server-error', status: 500 }), ...probes(1000), ...readBack(3, [])] });
  t.match(judgeExperiment(after, view), { verdict: 'finding', summary: /blast-radius: 1 step\(s\) no fault touched failed \(#\d+ move 500\)/ });
});

t.test('durability: an issue the target acknowledged is in the record read back, even where chip and record agree', async (t) => {
  const lost = judgeExperiment(experiment(cut, 1, { chip: 'pre-issued', record: 'pre-issued' }), VIEW);
  t.match(lost, { verdict: 'finding', summary: /durability: acknowledged, then not in the record: c1 issued \(not in the catalog\)/ });
  t.notMatch(lost.summary, /card-integrity/, 'chip and record agree: no disagreement');
  const refused = experiment(cut, 1, { chip: 'pre-issued', record: 'pre-issued' });
  const answered = { ...refused, requests: refused.requests.map((operation) => (operation.op === 'issue' ? { ...operation, outcome: 'server-error' as const, status: 503 } : operation)) };
  t.equal(judgeExperiment(answered, VIEW).verdict, 'pass', 'an issue refused and not done: nothing lost');
  const recovered = { ...answered, requests: [...answered.requests, work('issue-complete', 400, { data: { role: 'recovery', cardId: 'c1' } })] };
  t.match(judgeExperiment(recovered, VIEW), { verdict: 'finding', summary: /durability: acknowledged, then not in the record: c1 issued/ }, 'a recovery the target acknowledged must last too');
});

t.test('uniqueness: one person a code, and an acknowledged move-in stays under it', async (t) => {
  const resident = { name: 'Resident R1000', birthDate: '1980-04-01' };
  const other = { name: 'Someone Else', birthDate: '1990-01-01' };
  const moved = work('move', 300, { data: { residentCode: 'R1000', person: resident } });
  const listed = (persons: object[]) => request({ target: 'card-server-1', op: 'query-persons', startMs: 3100, endMs: 3105, outcome: 'ok', status: 200, body: { persons }, data: { role: 'probe', residentCode: 'R1000' } });
  const base = experiment(cut, 1);
  const judged = (persons: object[]) => judgeExperiment({ ...base, requests: [...base.requests, moved, listed(persons)] }, VIEW);
  t.equal(judged([resident]).verdict, 'pass', 'the person under the code');
  t.match(judged([resident, other]), { verdict: 'finding', summary: /uniqueness: code R1000 stands for 2 persons/ });
  t.match(judged([other]), { verdict: 'finding', summary: /uniqueness: Resident R1000's acknowledged move-in under R1000 is gone/ });
});

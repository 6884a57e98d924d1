import t from 'tap';
import { judge } from '../../faults/F16-duplicate-codes.ts';
import type { Operation } from '../../harness/history/history.ts';
import { history, request, VIEW } from '../helpers/histories.ts';
import { proveSide, TWO_SEEDS } from '../helpers/mean-runs.ts';

const A = { name: 'Sato Ken', birthDate: '1971-03-14' };
const B = { name: 'Ito Yui', birthDate: '1985-11-02' };
const CODE = '12345678901';
const TWO_CS = { ...VIEW, municipalities: [...VIEW.municipalities, { cs: 'cs-2', terminalLink: 'terminal-2', csToDistributorLink: 'cs-2-distributor' }] };

type Answer = Pick<Operation, 'outcome'> & Partial<Pick<Operation, 'status' | 'code'>>;
const OK: Answer = { outcome: 'ok', status: 200 };
const CONFLICT: Answer = { outcome: 'client-error', status: 409, code: 'identity-conflict' };

const move = (role: string, person: typeof A, at: string, startMs: number, answer: Answer) =>
  request({ target: at, op: 'move', startMs, endMs: startMs + 50, ...answer, data: { role, requestId: `${role}-1`, residentCode: CODE, person } });
const listed = (persons: unknown, startMs: number) =>
  request({ target: 'card-server-1', op: 'query-persons', startMs, endMs: startMs + 5, outcome: 'ok', status: 200, data: { role: 'probe', residentCode: CODE }, body: { persons } });

/** A's move-in, B's under the same code, A's own move: the fault's three moves, a listing after each. */
function run(trigger: Answer, control: Answer, listings: [unknown, unknown, unknown]) {
  return history({
    requests: [
      move('work', A, 'terminal-1', 0, OK),
      listed(listings[0], 100),
      move('trigger', B, 'terminal-2', 200, trigger),
      listed(listings[1], 300),
      move('innocent', A, 'terminal-2', 400, control),
      listed(listings[2], 500),
    ],
  });
}

const at = (person: typeof A, municipality: string) => ({ ...person, municipality, address: '3-4' });

t.test('two persons under one code after the move-in was answered 200: a finding, when the listing showed it', async (t) => {
  const verdict = judge(run(OK, OK, [[at(A, 'm1')], [at(A, 'm1'), at(B, 'm2')], [at(A, 'm2'), at(B, 'm2')]]), TWO_CS);
  t.equal(verdict.verdict, 'finding', verdict.summary);
  t.equal(verdict.detectedAfterMs, 305);
  t.match(verdict.summary, /code 12345678901 stands for 2 persons: Sato Ken \(1971-03-14, m1 3-4\) and Ito Yui \(1985-11-02, m2 3-4\) \(listing #\d+\)/);
  t.match(verdict.summary, /Ito Yui at cs-2 #\d+ \(trigger-1, answered 200\)/, 'the requests that made it');
});

t.test('a person replaced by another under the code: a finding', async (t) => {
  const verdict = judge(run(OK, OK, [[A], [B], [A]]), TWO_CS);
  t.equal(verdict.verdict, 'finding', verdict.summary);
  t.equal(verdict.detectedAfterMs, 305);
  t.match(verdict.summary, /Sato Ken's acknowledged move-in #\d+ under 12345678901 gone, Ito Yui \(1985-11-02\) there instead/);
});

t.test('the conflict refused with any 4xx and any words, the holder moving on: a pass', async (t) => {
  for (const refusal of [CONFLICT, { outcome: 'client-error' as const, status: 422, code: 'JUMIN-DUP' }, { outcome: 'client-error' as const, status: 400 }]) {
    const verdict = judge(run(refusal, OK, [[A], [A], [at(A, 'm2')]]), TWO_CS);
    t.equal(verdict.verdict, 'pass', verdict.summary);
    t.equal(verdict.detectedAfterMs, null);
  }
});

t.test('refused and recorded anyway, or refusing the holder too: findings', async (t) => {
  const recorded = judge(run(CONFLICT, OK, [[A], [A, B], [A, B]]), TWO_CS);
  t.equal(recorded.verdict, 'finding', `a refusal whose person is listed all the same: ${recorded.summary}`);
  const refusesAll = judge(run(CONFLICT, CONFLICT, [[A], [A], [A]]), TWO_CS);
  t.equal(refusesAll.verdict, 'finding', `a build that refuses every repeat of a code: ${refusesAll.summary}`);
  t.equal(refusesAll.detectedAfterMs, 450);
});

t.test('missing evidence is inconclusive, never a pass', async (t) => {
  const cases: Array<[string, ReturnType<typeof history>]> = [
    ['no move sent', history({})],
    ['the first move-in failed', history({ requests: [move('work', A, 'terminal-1', 0, { outcome: 'server-error', status: 502 }), move('trigger', B, 'terminal-2', 100, CONFLICT)] })],
    ['the conflicting move failed, not refused', run({ outcome: 'server-error', status: 503 }, OK, [[A], [A], [A]])],
    ['no listing after the moves', history({ requests: [move('work', A, 'terminal-1', 0, OK), move('trigger', B, 'terminal-2', 200, OK), move('innocent', A, 'terminal-2', 400, OK)] })],
    ['the listing kept only cut short', run(OK, OK, [[A], '[{"name":"Sato Ken"…', '[{"name":"Sato Ken"…'])],
    ['a listing that shows nobody', run(CONFLICT, OK, [[], [], []])],
  ];
  for (const [what, recorded] of cases) {
    const verdict = judge(recorded, TWO_CS);
    t.equal(verdict.verdict, 'inconclusive', `${what}: ${verdict.summary}`);
  }
});

// The finding side on docker; the pass side is F16-fixed.test.ts.
proveSide(t, 'F16', '2016-01', 'finding', undefined, TWO_SEEDS);

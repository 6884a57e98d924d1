import t from 'tap';
import fault from '../../faults/F12-failover.ts';
import type { Note, Operation, Query, Recorded } from '../../harness/history/history.ts';
import { history, request, state, VIEW } from '../helpers/histories.ts';
import { proveSide, TWO_SEEDS } from '../helpers/mean-runs.ts';

const view = { ...VIEW, cardServers: ['card-server-1', 'card-server-2'] };
const OUTAGES = ['card-server-1 stop', 'card-server-1 kill -9', 'card-server-1 pause', 'relay-1 stop', 'relay-2 kill -9', 'relay-1 pause'];
/** Each outage from its start, 3 s apart: down for 2 s (the switch-over is 1 s), then healed. */
const startOf = (index: number) => 1000 + index * 3000;

const note = (name: string, atMs: number, data: Record<string, unknown>): Note => ({ type: 'note', atMs, name, data });
const work = (startMs: number, fields: Partial<Operation> = {}) =>
  request({ target: 'terminal-1', op: 'search', startMs, endMs: startMs + 50, outcome: 'ok', status: 200, ...fields, data: { role: 'load', ...fields.data } });
const failure = (startMs: number) => work(startMs, { outcome: 'server-error', status: 502, code: 'upstream' });
const read = (cardServer: string, cardId: string, status: string | null, endMs = 20_000) =>
  request({ target: cardServer, op: 'query-card', startMs: endMs - 5, endMs, data: { role: 'probe', cardId }, ...(status === null ? { outcome: 'client-error', status: 404 } : { outcome: 'ok', status: 200, body: { status, icDigest: `d-${cardId}-${status}` } }) });

/**
 * A whole run as the fault records it: every outage noted and healed with 12 requests of work
 * begun between its switch-over and its heal, work served after each heal, two cards pre-issued
 * and one issued, each read back at both card servers. `change` alters it to make a bad run.
 */
function run(change: (parts: Recorded & { requests: Operation[]; queries: Query[]; notes: Note[] }) => void = () => undefined): Recorded {
  const notes: Note[] = [];
  const requests: Operation[] = [];
  OUTAGES.forEach((name, index) => {
    const [target, ...words] = name.split(' ');
    notes.push(note('fault', startOf(index), { name, target, outage: words.join(' ') === 'kill -9' ? 'kill' : words.join(' ') }));
    notes.push(note('healed', startOf(index) + 2000, { name }));
    for (let k = 0; k < 12; k++) requests.push(work(startOf(index) + 1000 + k * 80));
    requests.push(work(startOf(index) + 2100));
  });
  requests.push(
    work(500, { op: 'pre-issue', data: { cardId: 'c1', requestId: 'r1' } }),
    work(600, { op: 'issue', data: { cardId: 'c1', requestId: 'r2' } }),
    work(700, { op: 'pre-issue', data: { cardId: 'c2', requestId: 'r3' } }),
    work(800, { op: 'pre-issue', outcome: 'server-error', status: 502, data: { cardId: 'c3', requestId: 'r4' } }),
  );
  for (const cardServer of view.cardServers) requests.push(read(cardServer, 'c1', 'issued'), read(cardServer, 'c2', 'pre-issued'), read(cardServer, 'c3', null));
  const parts = { requests, injections: [], queries: [state('relay-1', 100, 'running'), state('card-server-1', 19_000, 'running')], notes };
  change(parts);
  return history(parts);
}

t.test('F12 judge: every outage routed around, everything acknowledged read back alike at both card servers: pass', async (t) => {
  const judged = fault.judge(run(), view);
  t.equal(judged.verdict, 'pass', judged.summary);
  t.equal(judged.detectedAfterMs, null);
  t.match(judged.summary, /6 outages .* 0 of 72 requests begun 1000 ms or more after an outage failed .* 3 acknowledged pre-issues and issues all read back at card-server-1 and card-server-2, which agree on all 3 cards/);
  // Failures inside the switch-over, and a few strays after it, are allowed.
  const strays = fault.judge(run(({ requests }) => requests.push(failure(startOf(0) + 200), failure(startOf(0) + 900), failure(startOf(1) + 1500))), view);
  t.equal(strays.verdict, 'pass', strays.summary);
});

t.test('F12 judge: work still failing after the switch-over is a finding, in any words, at the first failure', async (t) => {
  for (const refusal of [{ outcome: 'server-error' as const, status: 502, code: 'upstream' }, { outcome: 'reset' as const, code: 'ECONNRESET' }, { outcome: 'client-error' as const, status: 424, code: 'DEPENDENCY' }]) {
    const judged = fault.judge(run(({ requests }) => {
      for (let k = 0; k < 6; k++) requests.push(work(startOf(0) + 1040 + k * 80, refusal));
    }), view);
    t.equal(judged.verdict, 'finding', judged.summary);
    t.equal(judged.detectedAfterMs, startOf(0) + 1040 + 50);
    t.match(judged.summary, /^card-server-1 stop: 6 of 18 requests \(33 %\) begun from 1000 ms after the outage until it was healed failed/);
  }
  // An outage not yet healed is judged on what it shows so far: the run stops at its first proof.
  const open = fault.judge(run(({ notes, requests }) => {
    notes.splice(1);
    requests.splice(0, requests.length, ...Array.from({ length: 10 }, (_, k) => (k % 2 ? failure : work)(startOf(0) + 1100 + k * 10)));
  }), view);
  t.equal(open.verdict, 'finding', open.summary);
});

t.test('F12 judge: an acknowledged write missing, or two card servers that disagree, is a finding naming the card', async (t) => {
  const lost = fault.judge(run(({ requests }) => {
    requests.splice(requests.findIndex((operation) => operation.target === 'card-server-2' && operation.data?.['cardId'] === 'c2'), 1, read('card-server-2', 'c2', null, 20_500));
  }), view);
  t.equal(lost.verdict, 'finding', lost.summary);
  t.equal(lost.detectedAfterMs, 20_500);
  t.match(lost.summary, /card-server-2: 1 of 3 acknowledged writes read back missing \(c2\).*answer different records for 1 of 3 cards \(c2: pre-issued \/ absent\)/);

  const diverged = fault.judge(run(({ requests }) => {
    requests.splice(requests.findIndex((operation) => operation.target === 'card-server-2' && operation.data?.['cardId'] === 'c1'), 1, read('card-server-2', 'c1', 'pre-issued'));
  }), view);
  t.equal(diverged.verdict, 'finding', diverged.summary);
  t.match(diverged.summary, /c1 issued/, 'the issue acknowledged is not at card-server-2');
  t.match(diverged.summary, /c1: issued \/ pre-issued/);
});

t.test('F12 judge: a component seen exited untold is a finding; a run cut short or too thin proves nothing', async (t) => {
  const crashed = fault.judge(run(({ queries }) => queries.push(state('relay-2', 9000, 'exited', 134))), view);
  t.equal(crashed.verdict, 'finding', crashed.summary);
  t.match(crashed.summary, /relay-2 was seen exited \(status 134\)/);
  const cut = fault.judge(run(({ notes }) => notes.splice(8)), view);
  t.equal(cut.verdict, 'inconclusive', cut.summary);
  t.match(cut.summary, /relay-2 kill -9, relay-1 pause missing/);
  const thin = fault.judge(run(({ requests }) => requests.splice(0, 12)), view);
  t.equal(thin.verdict, 'inconclusive', thin.summary);
  const unread = fault.judge(run(({ requests }) => requests.splice(requests.findIndex((operation) => operation.op === 'query-card'), 1)), view);
  t.equal(unread.verdict, 'inconclusive', unread.summary);
});

// The finding side on docker; the pass side is F12-fixed.test.ts.
proveSide(t, 'F12', '2016-01', 'finding', undefined, TWO_SEEDS);

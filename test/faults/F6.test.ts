// F6's judge on hand-built histories, then the finding side on docker (the pass side is F6-fixed.test.ts).
import t from 'tap';
import { judge } from '../../faults/F6-card-server-memory.ts';
import type { Operation, Query } from '../../harness/history/history.ts';
import { history, request, VIEW } from '../helpers/histories.ts';
import { proveSide, TWO_SEEDS } from '../helpers/mean-runs.ts';

const DECLARED = { ...VIEW, parameters: { CARD_SERVER_MAX_CONNECTIONS: '4', CARD_SERVER_MEMORY_MIB: '512' } };
const message = (role: string, startMs: number, answer: Pick<Operation, 'outcome'> & Partial<Operation> = { outcome: 'ok', status: 200 }) =>
  request({ target: 'card-server-1', op: 'search', startMs, endMs: startMs + 300, ...answer, data: { role } });
const status = (atMs: number, state: string, exitCode: number | null, oomKilled?: boolean): Query => ({
  type: 'query',
  atMs,
  endMs: atMs,
  target: 'card-server-1',
  query: 'status',
  result: { state, exitCode, ...(oomKilled !== undefined && { oomKilled }) },
});
const burst = (answer?: Pick<Operation, 'outcome'> & Partial<Operation>) => [0, 1, 2, 3].map((index) => message('load', index, answer));
const probes = [message('probe', 1000), message('probe', 1400)];

t.test('F6 judge: every message of the burst and the probes served, on an engine that enforces the limit: pass', async (t) => {
  const judged = judge(history({ requests: [...burst(), ...probes], queries: [status(100, 'running', null, false), status(1500, 'running', null, false)] }), DECLARED);
  t.equal(judged.verdict, 'pass', judged.summary);
  t.match(judged.summary, /a burst of 4 messages.*within its 512 MiB/);
});

t.test('F6 judge: the card server killed for its memory, or work within its cap failing however it is answered: finding', async (t) => {
  const killed = judge(history({ requests: [...burst({ outcome: 'reset', code: 'ECONNRESET' }), ...probes.map((probe) => ({ ...probe, outcome: 'refused' as const }))], queries: [status(100, 'running', null, false), status(200, 'exited', 137, true)] }), DECLARED);
  t.equal(killed.verdict, 'finding', killed.summary);
  t.match(killed.summary, /card-server-1 exited with status 137, killed by the engine for its memory limit; 4 of 4 messages within its declared cap failed/);
  t.equal(killed.detectedAfterMs, 200);
  const refused = judge(history({ requests: [...burst({ outcome: 'server-error', status: 507, code: 'insufficient' }), ...probes], queries: [status(100, 'running', null, false)] }), DECLARED);
  t.equal(refused.verdict, 'finding', 'refused within the declared cap, with any status');
});

t.test('F6 judge: a runtime that cannot enforce the limit, or a burst never all in flight at once, gives no pass', async (t) => {
  const judged = judge(history({ requests: [...burst(), ...probes], queries: [status(100, 'running', null)] }), DECLARED);
  t.equal(judged.verdict, 'inconclusive', judged.summary);
  const spread = [0, 1, 2, 3].map((index) => message('load', index * 400));
  const trickle = judge(history({ requests: [...spread, ...probes], queries: [status(100, 'running', null, false)] }), DECLARED);
  t.match(trickle, { verdict: 'inconclusive', summary: /never had more than 1 messages in flight at once/ });
});

proveSide(t, 'F6', '2016-01', 'finding', undefined, TWO_SEEDS);

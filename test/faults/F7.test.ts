import t from 'tap';
import { judge } from '../../faults/F7-chip-record-disagree.ts';
import { history, request } from '../helpers/histories.ts';
import { proveSide, TWO_SEEDS } from '../helpers/mean-runs.ts';

const issue = (cardId: string, outcome: 'ok' | 'server-error', status: number) => request({ target: 'terminal-1', op: 'issue', outcome, status, startMs: 100, endMs: 200, data: { role: 'trigger', cardId, requestId: `r-${cardId}` } });
const recovery = (cardId: string, op: string, status: number) => request({ target: 'terminal-1', op, outcome: 'client-error', status, startMs: 300, endMs: 310, data: { role: 'recovery', cardId } });
const chip = (cardId: string, state: string, endMs = 400) => request({ target: 'terminal-1', op: 'query-ic', outcome: 'ok', status: 200, startMs: endMs - 5, endMs, data: { cardId }, body: { state } });
const record = (cardId: string, status: string, endMs = 420) => request({ target: 'card-server-1', op: 'query-card', outcome: 'ok', status: 200, startMs: endMs - 5, endMs, data: { cardId }, body: { status } });

t.test('F7 judge: a chip issued against a record that is not, after the recovery the target allowed, is a finding in any words', async (t) => {
  for (const refusal of [409, 400, 501]) {
    const judged = judge(history({ requests: [issue('c1', 'server-error', 502), recovery('c1', 'issue-complete', refusal), recovery('c1', 'issue', 409), chip('c1', 'issued'), record('c1', 'pre-issued')] }));
    t.equal(judged.verdict, 'finding', judged.summary);
    t.equal(judged.detectedAfterMs, 420);
    t.match(judged.summary, /card c1: chip issued, record pre-issued/);
  }
  const missing = judge(history({ requests: [issue('c1', 'server-error', 502), chip('c1', 'issued'), request({ target: 'card-server-1', op: 'query-card', outcome: 'client-error', status: 404, data: { cardId: 'c1' } })] }));
  t.equal(missing.verdict, 'finding', 'no record at all for an issued chip');
});

t.test('F7 judge: chip and record that agree pass, whether the issue failed at the time or not; nothing read back is inconclusive', async (t) => {
  const agreed = judge(history({ requests: [issue('c1', 'server-error', 504), chip('c1', 'issued'), record('c1', 'issued'), issue('c2', 'ok', 200), chip('c2', 'issued'), record('c2', 'issued')] }));
  t.equal(agreed.verdict, 'pass', agreed.summary);
  t.equal(agreed.detectedAfterMs, null);
  t.equal(judge(history({ requests: [issue('c1', 'server-error', 502)] })).verdict, 'inconclusive');
});

proveSide(t, 'F7', '2016-01', 'finding', undefined, TWO_SEEDS);

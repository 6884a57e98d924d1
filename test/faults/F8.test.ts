import t from 'tap';
import type { Injection, Note } from '../../harness/history/history.ts';
import { judge } from '../../faults/F8-restart-during-ic-write.ts';
import { history, request } from '../helpers/histories.ts';
import { proveSide, TWO_SEEDS } from '../helpers/mean-runs.ts';

const placed = (cardId: string, atMs: number): Note => ({ type: 'note', atMs, name: 'fault-placed', data: { cardId, action: 'restart-cs', target: 'cs-1', exchange: 7 } });
const restart = (atMs: number): Injection => ({ type: 'injection', atMs, endMs: atMs + 1500, time: new Date(0).toISOString(), target: 'cs-1', action: 'restart' });
const chip = (cardId: string, endMs: number, state: string, step = 30) => request({ target: 'terminal-1', op: 'query-ic', outcome: 'ok', status: 200, startMs: endMs - 5, endMs, data: { cardId }, body: { state, step } });

t.test('F8 judge: a chip broken by a restart during its write is a finding', async (t) => {
  const judged = judge(history({ notes: [placed('c1', 0)], injections: [restart(500)], requests: [chip('c1', 480, 'writing'), chip('c1', 2100, 'broken')] }));
  t.equal(judged.verdict, 'finding', judged.summary);
  t.equal(judged.detectedAfterMs, 2100);
});

t.test('F8 judge: a chip rolled back or resumed passes; a restart that missed the write decides nothing', async (t) => {
  for (const after of ['blank', 'written']) {
    const judged = judge(history({ notes: [placed('c1', 0)], injections: [restart(500)], requests: [chip('c1', 480, 'writing'), chip('c1', 2100, after)] }));
    t.equal(judged.verdict, 'pass', judged.summary);
  }
  const missed = judge(history({ notes: [placed('c1', 0)], injections: [restart(500)], requests: [chip('c1', 480, 'written'), chip('c1', 2100, 'broken')] }));
  t.equal(missed.verdict, 'inconclusive', 'the write was over before the restart: not this fault');
  t.equal(judge(history({ notes: [placed('c1', 0)], injections: [restart(500)], requests: [chip('c1', 480, 'writing')] })).verdict, 'inconclusive', 'no read after recovery');
});

proveSide(t, 'F8', '2016-01', 'finding', undefined, TWO_SEEDS);

import t from 'tap';
import { judgeCsBlock } from '../../faults/kit/cs-block.ts';
import { history, request } from '../helpers/histories.ts';

const F3 = { description: 'connection overflow', harmed: ['probe'] as const };
import { proveSide } from '../helpers/mean-runs.ts';
import { F3_CHECK } from '../helpers/side-checks.ts';

t.test('the block judge on F3: an innocent that met the cap itself is no casualty; refused probes are, in any words', async (t) => {
  const pushed = request({ target: 'terminal-1', outcome: 'overflow', status: 503, data: { role: 'trigger' } });
  const own = judgeCsBlock(history({ requests: [pushed, request({ target: 'terminal-1', outcome: 'overflow', data: { role: 'innocent' } }), request({ target: 'terminal-1', outcome: 'ok', data: { role: 'probe' } })] }), F3);
  t.equal(own.verdict, 'pass', own.summary);
  for (const refusal of [{ outcome: 'server-error' as const, status: 503, code: 'blocked' }, { outcome: 'client-error' as const, status: 429, code: 'MUNI-BUSY' }, { outcome: 'reset' as const, code: 'ECONNRESET' }]) {
    const probes = [request({ target: 'terminal-1', startMs: 500, endMs: 510, ...refusal, data: { role: 'probe' } }), request({ target: 'terminal-1', startMs: 900, endMs: 1020, ...refusal, data: { role: 'probe' } }), request({ target: 'terminal-1', startMs: 1100, endMs: 1110, outcome: 'ok', data: { role: 'probe' } })];
    const blocked = judgeCsBlock(history({ requests: [pushed, ...probes] }), F3);
    t.equal(blocked.verdict, 'finding', blocked.summary);
    t.equal(blocked.detectedAfterMs, 510);
    t.match(blocked.summary, /and 2 of 3 probes sent once it was over, refusing work for 510 ms/);
  }
  t.equal(judgeCsBlock(history({ requests: [request({ target: 'terminal-1', outcome: 'ok', data: { role: 'trigger' } })] }), F3).verdict, 'inconclusive', 'no trigger, no verdict');
});

// The finding side on docker; the pass side is F3-fixed.test.ts.
proveSide(t, 'F3', '2016-01', 'finding', F3_CHECK);

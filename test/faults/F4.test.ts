import t from 'tap';
import type { Operation } from '../../harness/history/history.ts';
import { judgeCsBlock } from '../../faults/kit/cs-block.ts';
import { history, request } from '../helpers/histories.ts';
import { proveSide } from '../helpers/mean-runs.ts';
import { F4_CHECK } from '../helpers/side-checks.ts';

const F4 = { description: 'search timeout', harmed: ['innocent', 'probe'] as const };
const role = (name: string, outcome: Operation['outcome'], extra: Partial<Operation> = {}) => request({ target: 'terminal-1', outcome, ...extra, data: { role: name } });

t.test('the block judge on F4: collateral damage is a finding, a lone failure a pass, no trigger inconclusive', async (t) => {
  t.equal(judgeCsBlock(history({ requests: [role('trigger', 'server-error', { status: 504 }), role('innocent', 'server-error', { status: 503, code: 'blocked', endMs: 42 })] }), F4).verdict, 'finding');
  t.equal(judgeCsBlock(history({ requests: [role('trigger', 'server-error', { status: 504 }), role('innocent', 'ok'), role('probe', 'ok')] }), F4).verdict, 'pass');
  t.equal(judgeCsBlock(history({ requests: [role('trigger', 'ok'), role('innocent', 'ok'), role('probe', 'ok')] }), F4).verdict, 'inconclusive');
  const timedOut = judgeCsBlock(history({ requests: [role('trigger', 'server-error'), role('probe', 'timeout-headers', { endMs: 20_000 }), role('probe', 'timeout-headers', { endMs: 20_010 })] }), F4);
  t.equal(timedOut.verdict, 'finding', 'probes that all time out are refused work, not a pass');
  t.equal(timedOut.detectedAfterMs, 20_000);
});

// The finding side on docker; the pass side is F4-fixed.test.ts.
proveSide(t, 'F4', '2016-01', 'finding', F4_CHECK);

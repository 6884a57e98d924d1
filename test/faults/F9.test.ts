import t from 'tap';
import type { Note } from '../../harness/history/history.ts';
import { judge } from '../../faults/F9-false-finished.ts';
import { exec, history, request, VIEW } from '../helpers/histories.ts';
import { proveSide, TWO_SEEDS } from '../helpers/mean-runs.ts';

const STATUS = ['node', 'relay-ctl.ts', 'batch-status'];
const view = { ...VIEW, operator: { ...VIEW.operator, relayBatchStatus: STATUS } };
const placed: Note = { type: 'note', atMs: 0, name: 'fault-placed', data: { batchId: 'b1', municipality: 'ward-1', mechanism: 'cut', breakAt: 12, records: 40 } };
const consoleSays = (status: string, acknowledged: number) => ({ ...exec('relay-1', 1000, [...STATUS, 'b1']), detail: { argv: [...STATUS, 'b1'], exitCode: 0, output: JSON.stringify({ batchId: 'b1', status, sent: acknowledged, acknowledged, records: 40 }) } });
const received = (records: number) => request({ target: 'card-server-1', op: 'query-batch', outcome: 'ok', status: 200, startMs: 1400, endMs: 1410, data: { batchId: 'b1' }, body: { records } });
const noticed = (notices: unknown[]) => request({ target: 'card-server-1', op: 'query-notices', outcome: 'ok', status: 200, startMs: 1420, endMs: 1430, data: { municipality: 'ward-1' }, body: { notices } });

t.test('F9 judge: "finished" while records are missing, or a count the card server never got, is a finding', async (t) => {
  const judged = judge(history({ notes: [placed], injections: [consoleSays('finished', 40)], requests: [received(12), noticed([])] }), view);
  t.equal(judged.verdict, 'finding', judged.summary);
  t.match(judged.summary, /console "finished" with 12 of 40 records/);
  t.equal(judged.detectedAfterMs, 1430);
  const counted = judge(history({ notes: [placed], injections: [consoleSays('failed', 30)], requests: [received(12), noticed([])] }), view);
  t.equal(counted.verdict, 'finding', counted.summary);
  const notice = judge(history({ notes: [placed], injections: [consoleSays('failed', 12)], requests: [received(12), noticed([{ batchId: 'b1', count: 40 }])] }), view);
  t.equal(notice.verdict, 'finding', 'a "registered" notice for records that never arrived');
});

t.test('F9 judge: "failed" with the right count passes, as does a transfer that finished after the heal; no console is inconclusive', async (t) => {
  const failed = judge(history({ notes: [placed], injections: [consoleSays('failed', 12)], requests: [received(13), noticed([])] }), view);
  t.equal(failed.verdict, 'pass', failed.summary);
  const resumed = judge(history({ notes: [placed], injections: [consoleSays('finished', 40)], requests: [received(40), noticed([{ batchId: 'b1', count: 40 }])] }), view);
  t.equal(resumed.verdict, 'pass', resumed.summary);
  t.equal(judge(history({ notes: [placed], requests: [received(12), noticed([])] }), view).verdict, 'inconclusive');
  t.equal(judge(history({ notes: [placed], injections: [consoleSays('running', 12)], requests: [received(12), noticed([])] }), view).verdict, 'inconclusive', 'still running: not judged');
  t.equal(judge(history({}), VIEW).verdict, 'inconclusive', 'a target without batch commands');
});

proveSide(t, 'F9', '2015-10', 'finding', undefined, TWO_SEEDS);

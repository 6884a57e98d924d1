// F11's judge on hand-built histories, then the finding side on docker: reference@2016-07, before
// the September 2016 fix (the pass side, from the fix, is F11-fixed.test.ts).
import t from 'tap';
import { judgeF11 } from '../../faults/F11-vendor-boundary.ts';
import type { Note, Operation } from '../../harness/history/history.ts';
import type { SystemView } from '../../harness/target/types.ts';
import { history, request, VIEW } from '../helpers/histories.ts';
import { proveSide, TWO_SEEDS } from '../helpers/mean-runs.ts';

const PKI_VIEW: SystemView = { ...VIEW, pki: { ca: 'ca', scheduler: 'scheduler', caLink: 'operator-ca', schedulerLink: 'operator-scheduler', schedulerToCaLink: 'scheduler-ca' } };
const note = (jobId: string, how: string): Note => ({ type: 'note', atMs: 0, name: 'job', data: { jobId, how } });
const submit = (jobId: string, serials: string[]): Operation => request({ target: 'scheduler', op: 'submit-job', outcome: 'ok', status: 202, data: { role: 'job', jobId, serials } });
const record = (jobId: string, state: string, revoked: string[], atMs = 100): Operation =>
  request({ target: 'scheduler', op: 'job-record', outcome: 'ok', status: 200, startMs: atMs, endMs: atMs + 5, data: { jobId }, body: { state, revoked } });
const authority = (serial: string, revoked: boolean, atMs = 200): Operation =>
  request({ target: 'ca', op: 'certificate', outcome: 'ok', status: 200, startMs: atMs, endMs: atMs + 5, data: { serial }, body: { revoked } });
const work = (outcome: Operation['outcome'], atMs: number): Operation => request({ target: 'card-server-1', op: 'search', outcome, startMs: atMs, endMs: atMs + 30, data: { role: 'card-work' }, ...(outcome !== 'ok' && { status: 503, code: 'busy' }) });

const refusedOne = note('j-1', 'one record refused');

t.test('judgeF11: a job the scheduler holds otherwise than the authority did it is a finding, whatever its state words', async (t) => {
  const judged = judgeF11(history({ notes: [refusedOne], requests: [submit('j-1', ['S1', 'S2', 'bad']), record('j-1', 'erledigt', ['S1', 'S2', 'bad']), authority('S1', true), authority('S2', true), authority('bad', false), work('ok', 10)] }), PKI_VIEW);
  t.equal(judged.verdict, 'finding', judged.summary);
  t.match(judged.summary, /1 of 1 jobs recorded otherwise than the authority did them: j-1 \(one record refused\): the scheduler holds 3 revoked, the authority revoked 2/);
  t.equal(judged.detectedAfterMs, 205, 'once both ends were read');
});

t.test('judgeF11: records that agree, with card work served, pass; card work refused while a job ran is a finding', async (t) => {
  const requests = [submit('j-1', ['S1', 'S2', 'bad']), record('j-1', 'partial', ['S1', 'S2']), authority('S1', true), authority('S2', true), authority('bad', false)];
  const agreed = judgeF11(history({ notes: [refusedOne], requests: [...requests, work('ok', 10), work('ok', 50)] }), PKI_VIEW);
  t.equal(agreed.verdict, 'pass', agreed.summary);
  const blocked = judgeF11(history({ notes: [refusedOne], requests: [...requests, work('ok', 10), work('server-error', 50)] }), PKI_VIEW);
  t.equal(blocked.verdict, 'finding', blocked.summary);
  t.match(blocked.summary, /^1 of 2 card requests failed while revocation jobs ran \(busy\)$/);
});

t.test('judgeF11: a job never read settled, or a target with no public-key side, is inconclusive', async (t) => {
  const running = judgeF11(history({ requests: [submit('j-1', ['S1']), record('j-1', 'running', []), authority('S1', true), work('ok', 10)] }), PKI_VIEW);
  t.equal(running.verdict, 'inconclusive', running.summary);
  t.match(running.summary, /1 of 1 jobs never read settled at both ends \(j-1\)/);
  t.match(judgeF11(history({}), VIEW).summary, /runs no certificate authority and job scheduler/);
});

proveSide(t, 'F11', '2016-07', 'finding', undefined, TWO_SEEDS);

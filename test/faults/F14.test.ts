// F14's judge on hand-built histories, then the finding side on docker (the pass side is F14-fixed.test.ts).
import t from 'tap';
import { judge } from '../../faults/F14-unjoinable-logs.ts';
import type { Operation, Query } from '../../harness/history/history.ts';
import { history, logs, request, VIEW } from '../helpers/histories.ts';
import { proveSide, TWO_SEEDS } from '../helpers/mean-runs.ts';

const search = (requestId: string, answer: Pick<Operation, 'outcome'> & Partial<Operation>) => request({ target: 'terminal-1', op: 'search', ...answer, data: { role: 'trigger', requestId } });
const BAD_GATEWAY = { outcome: 'server-error', status: 502, code: 'upstream' } as const;
const everyLog = (cs: Array<Record<string, unknown>>, relay: Array<Record<string, unknown>> = []): Query[] => [
  logs('cs-1', cs),
  logs('relay-1', relay),
  logs('relay-2', []),
  logs('card-server-1', []),
];

t.test('F14 judge: every failure joined with an error line is a pass; a vendor may word and derive it its own way', async (t) => {
  const requests = [search('r-1', { outcome: 'ok', status: 200 }), search('r-2', BAD_GATEWAY), search('r-3', { outcome: 'timeout-headers', code: 'UND_ERR_HEADERS_TIMEOUT' })];
  const cs = [
    { stream: 'business', event: 'request', requestId: 'r-2', correlationId: 'r-2' },
    { stream: 'error', event: 'ausfall', correlationId: 'r-2' },
    { stream: 'error', event: 'zeitueberschreitung', correlationId: 'r-3:cs' },
  ];
  const relay = [{ stream: 'business', event: 'message', requestId: 'r-2', correlationId: 'r-2:relay' }];
  const judged = judge(history({ requests, queries: everyLog(cs, relay) }), VIEW);
  t.equal(judged.verdict, 'pass', judged.summary);
  t.match(judged.summary, /2 of 2 failed request\(s\) traceable \(100 %\)/);
});

t.test('F14 judge: a failure whose lines carry no correlation, or no error line, is a finding naming it', async (t) => {
  const requests = [search('r-2', BAD_GATEWAY), search('r-4', { outcome: 'server-error', status: 503, code: 'blocked' })];
  const cs = [
    { stream: 'business', event: 'request', requestId: 'r-2', correlationId: 'r-2' },
    { stream: 'error', event: 'request-failed', correlationId: 'r-2' },
    { stream: 'business', event: 'request', requestId: 'r-4', status: 503 },
    { stream: 'error', event: 'request-failed', status: 503 },
  ];
  const judged = judge(history({ requests, queries: everyLog(cs) }), VIEW);
  t.equal(judged.verdict, 'finding', judged.summary);
  t.match(judged.summary, /1 of 2 failed request\(s\) traceable \(50 %\).*r-4 \(no correlationId on cs-1; no error line says why\)/);
  t.equal(judged.detectedAfterMs, 5010, 'when the logs were read');
});

t.test('F14 judge: nothing failed, a log never read, or a cut log that may hold the missing lines: inconclusive', async (t) => {
  t.equal(judge(history({ requests: [search('r-1', { outcome: 'ok', status: 200 })], queries: everyLog([]) }), VIEW).verdict, 'inconclusive');
  const failedOne = [search('r-2', BAD_GATEWAY)];
  t.match(judge(history({ requests: failedOne, queries: everyLog([]).slice(0, 2) }), VIEW).summary, /logs of relay-2, card-server-1 were never read/);
  const cut = [logs('cs-1', [], 5000), logs('relay-1', []), logs('relay-2', []), logs('card-server-1', [])];
  t.equal(judge(history({ requests: failedOne, queries: cut }), VIEW).verdict, 'inconclusive');
});

proveSide(t, 'F14', '2016-01', 'finding', undefined, TWO_SEEDS);

import t from 'tap';
import { keptLogs, logJoin } from '../../faults/kit/checkers/log-join.ts';
import { history, logs, request } from '../helpers/histories.ts';

const failedSearch = (requestId: string) => request({ target: 'terminal-1', op: 'search', outcome: 'server-error', status: 502, data: { requestId } });
const entry = () => 'cs-1';

t.test('a failed request joined on every component that names it, with an error line: traceable', async (t) => {
  const a = failedSearch('terminal-1-1-aa');
  const kept = keptLogs(
    history({
      queries: [
        logs('cs-1', [
          { stream: 'business', event: 'request', requestId: 'terminal-1-1-aa', correlationId: 'terminal-1-1-aa' },
          { stream: 'error', event: 'request-failed', correlationId: 'terminal-1-1-aa' },
        ]),
        // A target may derive the ID it carries from the terminal's.
        logs('relay-1', [{ stream: 'business', event: 'message', requestId: 'terminal-1-1-aa', correlationId: 'terminal-1-1-aa/hop-2' }]),
        logs('card-server-1', [{ stream: 'business', event: 'message', requestId: 'someone-else', correlationId: 'someone-else' }]),
      ],
    }),
  );
  const report = logJoin([a], kept, entry);
  t.same(report.traces, [{ request: a.id, requestId: 'terminal-1-1-aa', passed: ['cs-1', 'relay-1'], unjoined: [], explained: true }]);
  t.equal(report.coverage, 1);
});

t.test('lines that name the request only in their own field, or an error line that names nothing, do not join', async (t) => {
  const a = failedSearch('terminal-1-2-bb');
  const b = failedSearch('terminal-1-3-cc');
  const kept = keptLogs(
    history({
      queries: [
        logs('cs-1', [
          { stream: 'business', event: 'request', requestId: 'terminal-1-2-bb' },
          { stream: 'error', event: 'upstream-failed', op: 'search' },
          { stream: 'business', event: 'request', requestId: 'terminal-1-3-cc', correlationId: 'terminal-1-3-cc' },
        ]),
        logs('relay-1', [{ stream: 'error', event: 'msg', requestId: 'terminal-1-3-cc' }]),
      ],
    }),
  );
  const report = logJoin([a, b], kept, entry);
  t.same(
    report.traces.map(({ requestId, unjoined, explained }) => ({ requestId, unjoined, explained })),
    [
      { requestId: 'terminal-1-2-bb', unjoined: ['cs-1'], explained: false },
      { requestId: 'terminal-1-3-cc', unjoined: ['relay-1'], explained: false },
    ],
  );
  t.equal(report.coverage, 0);
});

t.test('the entry CS passed the request even where no line of it names the request', async (t) => {
  const a = failedSearch('terminal-1-4-dd');
  const report = logJoin([a], keptLogs(history({ queries: [logs('cs-1', [{ stream: 'control', event: 'ready' }]), logs('relay-1', [{ stream: 'error', event: 'x', correlationId: 'terminal-1-4-dd' }])] })), entry);
  t.same(report.traces[0]?.unjoined, ['cs-1'], 'nothing at the CS joins it');
});

t.test('a log longer than the history kept is reported as cut; lines that are not JSON are skipped', async (t) => {
  const query = logs('cs-1', [{ stream: 'control', event: 'ready' }], 900);
  (query.result as { tail: string[] }).tail.push('Warning: not json');
  const kept = keptLogs(history({ queries: [query] }));
  t.equal(kept[0]?.lines.length, 1);
  t.same(logJoin([], kept, entry).cut, ['cs-1']);
});

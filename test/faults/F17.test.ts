// F17's scanner and judge on hand-built input, then the finding side on docker, where nothing the
// harness wrote may hold a PIN (the pass side is F17-fixed.test.ts, the planted canaries F17-scanner.test.ts).
import t from 'tap';
import { judge } from '../../faults/F17-pins-written-down.ts';
import { CANARY_SCAN, canaryScans, findCanaries, pinCanaries, type CanaryHit, type ScanResult } from '../../faults/kit/canaries.ts';
import type { Query } from '../../harness/history/history.ts';
import { Rng } from '../../harness/seed.ts';
import { history, request, VIEW } from '../helpers/histories.ts';
import { proveSide, TWO_SEEDS } from '../helpers/mean-runs.ts';
import { noPinWritten } from '../helpers/pins.ts';

const scan = (target: string, hits: CanaryHit[] = []): Query => ({ type: 'query', atMs: 900, endMs: 950, target, query: CANARY_SCAN, result: { logLines: 10, files: 2, bytes: 100, hits } satisfies ScanResult });
const everyComponent = (hits: CanaryHit[] = []) => ['cs-1', 'relay-1', 'relay-2', 'card-server-1'].map((name) => scan(name, name === 'cs-1' ? hits : []));
const issues = [request({ target: 'terminal-1', op: 'issue', outcome: 'ok', status: 200, data: { role: 'work' } }), request({ target: 'terminal-1', op: 'issue', outcome: 'server-error', status: 502, data: { role: 'trigger' } })];

t.test('the scanner finds every copy of every canary, by line, in text and in binary', async (t) => {
  const content = Buffer.concat([Buffer.from('first\nsecond AAAA1111\n'), Buffer.from([0, 1, 2, 10]), Buffer.from('BBBB2222 and AAAA1111')]);
  t.same(findCanaries(content, ['AAAA1111', 'BBBB2222']), [{ line: 2, canary: 0 }, { line: 4, canary: 0 }, { line: 4, canary: 1 }]);
  t.same(findCanaries(Buffer.from('nothing here'), ['AAAA1111']), []);
  const pins = pinCanaries(new Rng(1), 4);
  t.equal(new Set(pins).size, 4);
  t.ok(pins.every((pin) => /^[A-Z2-9]{12}$/.test(pin)), 'signature-style PINs');
});

t.test('the same shared file seen from two components is one hit', async (t) => {
  const hit: CanaryHit = { component: 'cs-1', place: 'file', file: '/ijiwaru/shared/card-server/cards.db', line: 3, canary: 1 };
  const { hits } = canaryScans(history({ queries: [scan('cs-1', [hit]), scan('card-server-1', [{ ...hit, component: 'card-server-1' }])] }));
  t.equal(hits.length, 1);
});

t.test('F17 judge: one copy anywhere is a finding naming where; none, with issues during the outage, a pass', async (t) => {
  const hit: CanaryHit = { component: 'cs-1', place: 'file', file: '/etc/ijiwaru/ic/deferred.jsonl', line: 2, canary: 3 };
  const found = judge(history({ requests: issues, queries: everyComponent([hit, { ...hit, place: 'log', file: 'stdout', line: 40 }]) }), VIEW);
  t.equal(found.verdict, 'finding', found.summary);
  t.match(found.summary, /2 copies of 1 resident PIN\(s\) written down: cs-1 \/etc\/ijiwaru\/ic\/deferred.jsonl line 2 \(PIN #4\); cs-1 log line 40/);
  const clean = judge(history({ requests: issues, queries: everyComponent() }), VIEW);
  t.equal(clean.verdict, 'pass', clean.summary);
  t.equal(judge(history({ requests: issues, queries: everyComponent().slice(1) }), VIEW).verdict, 'inconclusive', 'a component never scanned');
  t.equal(judge(history({ requests: issues.slice(0, 1), queries: everyComponent() }), VIEW).verdict, 'inconclusive', 'no issue while the centre was away');
});

proveSide(t, 'F17', '2016-01', 'finding', noPinWritten, TWO_SEEDS);

// F10's judge on hand-built histories, then the finding side on docker (the pass side is F10-fixed.test.ts).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import t, { type Test } from 'tap';
import { judge } from '../../faults/F10-address-characters.ts';
import { ADDRESS_CLASSES } from '../../faults/kit/addresses.ts';
import type { Operation } from '../../harness/history/history.ts';
import { history, request } from '../helpers/histories.ts';
import { proveSide, TWO_SEEDS, type SeedRun } from '../helpers/mean-runs.ts';

type Answer = Pick<Operation, 'outcome'> & Partial<Pick<Operation, 'status' | 'code'>>;
const OK: Answer = { outcome: 'ok', status: 200 };
let clock = 100;

/** One certificate change of `addressClass` and the record read back after it. */
function tried(addressClass: string, oldAddress: string, newAddress: string, answer: Answer, kept: string | undefined = answer.outcome === 'ok' ? newAddress : 'before'): Operation[] {
  const start = (clock += 100);
  return [
    request({ target: 'terminal-1', op: 'certificate-change', startMs: start, endMs: start + 30, ...answer, data: { role: 'trigger', cardId: 'c1', addressClass, oldAddress, newAddress } }),
    request({ target: 'card-server-1', op: 'query-card', startMs: start + 40, endMs: start + 45, outcome: 'ok', status: 200, data: { role: 'probe', cardId: 'c1' }, body: { address: kept } }),
  ];
}
const preIssue = request({ target: 'terminal-1', op: 'pre-issue', outcome: 'ok', status: 200, data: { cardId: 'c1' } });
const everyClassKept = () => ADDRESS_CLASSES.flatMap((addressClass) => tried(addressClass.name, `a${addressClass.characters[0]}`, `b${addressClass.characters[0]}`, OK));
const PLANE2 = 'JIS X 0213 plane 2';

t.test('F10 judge: every class kept exactly, or a class no address holds refused: pass', async (t) => {
  const refusedControl = tried('control characters', 'x\u0000', 'y', { outcome: 'client-error', status: 400, code: 'bad-request' });
  const judged = judge(history({ requests: [preIssue, ...everyClassKept(), ...refusedControl] }));
  t.equal(judged.verdict, 'pass', judged.summary);
});

t.test('F10 judge: a real character refused, whatever the status and word, is a finding with the shrunk example', async (t) => {
  const requests = [
    preIssue,
    ...everyClassKept(),
    ...tried(PLANE2, '東京\u{20BB7}区', '港\u{2123D}', { outcome: 'client-error', status: 400, code: 'bad-char' }),
    ...tried(PLANE2, '\u{20BB7}', '', { outcome: 'client-error', status: 400, code: 'bad-char' }),
  ];
  const judged = judge(history({ requests }));
  t.equal(judged.verdict, 'finding', judged.summary);
  t.match(judged.summary, /1 of 13 address classes broke.*JIS X 0213 plane 2 \(refused, answered 400 bad-char; smallest: U\+20BB7 → \)/);
  const rows = (judged.details as { failingClasses: Array<Record<string, unknown>> }).failingClasses;
  t.match(rows, [{ class: PLANE2, real: true, broke: '2 of 3', how: 'refused' }]);
});

t.test('F10 judge: a mangled record (NFD kept as NFC) or a 5xx on any class is a finding; a read-back cut short is not', async (t) => {
  const nfd = tried('combining marks (NFD, not NFC)', 'a', '\u304B\u3099', OK, '\u304C');
  t.match(judge(history({ requests: [preIssue, ...everyClassKept(), ...nfd] })).summary, /combining marks \(NFD, not NFC\) \(mangled/);
  const crashed = tried('control characters', 'a\u0000', 'b', { outcome: 'server-error', status: 500 });
  t.equal(judge(history({ requests: [preIssue, ...everyClassKept(), ...crashed] })).verdict, 'finding', 'a class no address holds still may not give a 5xx');
  const cut = tried('very long', 'a', 'b'.repeat(300), OK, `"${'b'.repeat(999)}…`);
  const judgedCut = judge(history({ requests: [preIssue, ...everyClassKept(), ...cut] }));
  t.equal(judgedCut.verdict, 'pass', judgedCut.summary);
});

t.test('F10 judge: no card, or classes left untried: inconclusive', async (t) => {
  t.equal(judge(history({ requests: [] })).verdict, 'inconclusive');
  t.equal(judge(history({ requests: [preIssue, ...everyClassKept().slice(0, 4)] })).verdict, 'inconclusive');
});

/** The classes that failed, each with its shrunk example by code point, are on the page a person opens. */
async function onThePage(t: Test, run: SeedRun): Promise<void> {
  const page = readFileSync(path.join(run.outDir, 'report.html'), 'utf8');
  t.match(page, /<caption>failingClasses \(\d+\)<\/caption>/, `seed ${run.seed}: report.html lists the failing classes`);
  t.match(page, /JIS X 0213 plane 2<\/td>.*?U\+2[0-9A-F]{4}/s, `seed ${run.seed}: with the smallest example, by code point`);
}

proveSide(t, 'F10', '2016-04', 'finding', onThePage, TWO_SEEDS);

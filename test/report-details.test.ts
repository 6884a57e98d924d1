import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { detailsBlock } from '../harness/report/html-details.ts';
import type { ResultEntry } from '../harness/report/report.ts';

const result = (evidence: string[]): ResultEntry => ({ fault: 'F7', title: 't', viewpoints: [], replay: 'ijiwaru run', verdict: 'finding', detectedAfterMs: 1, summary: 's', evidence });

t.test('the records that decided a verdict are shown as tables, escaped and bounded; no details, no block', async (t) => {
  const outDir = mkdtempSync(path.join(os.tmpdir(), 'ijiwaru-details-'));
  t.teardown(() => rmSync(outDir, { recursive: true, force: true }));
  mkdirSync(path.join(outDir, 'evidence/F7'), { recursive: true });
  const cards = Array.from({ length: 25 }, (_, index) => ({ cardId: `c${index}`, chip: 'issued', record: '<pre-issued>', recovery: ['#3 issue 409'] }));
  writeFileSync(path.join(outDir, 'evidence/F7/judgement.json'), JSON.stringify({ verdict: 'finding', details: { cards, placements: [{ mode: 'cut' }], count: 3 } }));
  const markup = String(detailsBlock(outDir, result(['evidence/F7/judgement.json', 'evidence/F7/history.jsonl'])));
  t.match(markup, /<caption>cards \(25\)<\/caption>/);
  t.match(markup, /<caption>placements \(1\)<\/caption>/);
  t.notMatch(markup, /count/, 'a figure is not a list of records');
  t.match(markup, /&lt;pre-issued&gt;/, 'escaped');
  t.equal(markup.match(/<tr><td>/g)?.length, 21, '20 cards and 1 placement shown');
  t.match(markup, /\[&quot;#3 issue 409&quot;\]/);
  t.equal(detailsBlock(outDir, result(['evidence/F7/history.jsonl'])), '');
});

import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { History } from '../harness/history/history.ts';
import { classifyError, classifyResponse } from '../harness/history/outcome.ts';
import { redactFiles } from '../harness/history/redact.ts';

t.test('undici failure codes map to outcome classes, through fetch-style causes', async (t) => {
  const wrapped = (code: string) => Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(code), { code }) });
  t.equal(classifyError(wrapped('ECONNREFUSED')).outcome, 'refused');
  t.equal(classifyError(wrapped('ECONNRESET')).outcome, 'reset');
  t.equal(classifyError(wrapped('UND_ERR_SOCKET')).outcome, 'closed');
  t.equal(classifyError(wrapped('UND_ERR_CONNECT_TIMEOUT')).outcome, 'timeout-connect');
  t.equal(classifyError(wrapped('UND_ERR_HEADERS_TIMEOUT')).outcome, 'timeout-headers');
  t.equal(classifyError(wrapped('UND_ERR_BODY_TIMEOUT')).outcome, 'timeout-body');
  t.same(classifyError(wrapped('EWHATEVER')), { outcome: 'other', code: 'EWHATEVER' });
});

t.test('responses: overflow answer, server and client errors', async (t) => {
  t.equal(classifyResponse(503, '{"error":"overflow"}'), 'overflow');
  t.equal(classifyResponse(503, '{"error":"busy"}'), 'server-error');
  t.equal(classifyResponse(500, ''), 'server-error');
  t.equal(classifyResponse(404, ''), 'client-error');
  t.equal(classifyResponse(200, '{"error":"overflow"}'), 'ok');
});

t.test('completed operations are appended as JSON lines at once', async (t) => {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'ijiwaru-history-')), 'history.jsonl');
  const history = new History(file);
  const id = history.begin({ client: 'c1', op: 'search', target: 'entry', data: { card: 'A' } }, () => undefined);
  t.equal(history.openCount, 1);
  const operation = history.complete(id, { outcome: 'ok', status: 200 });
  t.ok(operation.endMs >= operation.startMs);
  const lines = readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
  t.equal(lines.length, 1);
  t.match(lines[0], { id, client: 'c1', op: 'search', outcome: 'ok', status: 200, data: { card: 'A' } });
});

t.test('close ends open requests as aborted and keeps the first outcome', async (t) => {
  const history = new History();
  let aborted = 0;
  const open = history.begin({ client: 'c', op: 'x', target: 'y' }, () => aborted++);
  history.close();
  t.equal(aborted, 1);
  t.equal(history.openCount, 0);
  t.equal(history.operations[0]?.outcome, 'aborted');
  t.equal(history.complete(open, { outcome: 'ok' }).outcome, 'aborted', 'a late answer does not rewrite history');
  t.throws(() => history.begin({ client: 'c', op: 'x', target: 'y' }, () => undefined));
});

t.test('a redacted secret is in no entry, in memory or on disk, and no saved log keeps it', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ijiwaru-history-'));
  const file = path.join(dir, 'history.jsonl');
  const secrets = new Set<string>();
  const history = new History(file, undefined, secrets);
  history.redact('Q7XK2M9PLT4B');
  const id = history.begin({ client: 'c1', op: 'issue', target: 'terminal-1', data: { note: 'pin Q7XK2M9PLT4B' } }, () => undefined);
  history.complete(id, { outcome: 'server-error', status: 502, code: 'Q7XK2M9PLT4B' });
  await history.query('cs-1', 'logs', async () => ({ tail: ['{"event":"issue-deferred","pin":"Q7XK2M9PLT4B"}'] }));
  history.note('n', { text: 'xQ7XK2M9PLT4Bx' });
  const text = readFileSync(file, 'utf8');
  t.notMatch(text, /Q7XK2M9PLT4B/, 'not on disk');
  t.notMatch(JSON.stringify(history.recorded), /Q7XK2M9PLT4B/, 'not in memory');
  t.match(text, /pin \[redacted\]/);
  t.same([...secrets], ['Q7XK2M9PLT4B'], 'shared with whoever saves other evidence');
  const logs = path.join(dir, 'logs');
  mkdirSync(logs);
  writeFileSync(path.join(logs, 'cs-1.log'), '{"pin":"Q7XK2M9PLT4B"}\n');
  redactFiles(logs, secrets);
  t.equal(readFileSync(path.join(logs, 'cs-1.log'), 'utf8'), '{"pin":"[redacted]"}\n');
});

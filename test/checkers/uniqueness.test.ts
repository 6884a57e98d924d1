import t from 'tap';
import type { Operation } from '../../harness/history/history.ts';
import { uniqueness } from '../../faults/kit/checkers/uniqueness.ts';
import { moveInClaims, personListings } from '../../faults/kit/persons.ts';
import { history, request } from '../helpers/histories.ts';

const A = { name: 'Sato Ken', birthDate: '1971-03-14' };
const B = { name: 'Ito Yui', birthDate: '1985-11-02' };
const CODE = '12345678901';

const move = (person: typeof A, startMs: number, ok = true) =>
  request({ target: 'terminal-1', op: 'move', startMs, endMs: startMs + 50, outcome: ok ? 'ok' : 'client-error', status: ok ? 200 : 409, data: { role: 'work', residentCode: CODE, person } });
const listing = (persons: unknown, startMs: number, code = CODE) =>
  request({ target: 'card-server-1', op: 'query-persons', startMs, endMs: startMs + 5, outcome: 'ok', status: 200, data: { role: 'probe', residentCode: code }, body: { persons } });

const check = (requests: Operation[]) => {
  const recorded = history({ requests });
  return uniqueness(moveInClaims(recorded), personListings(recorded).listings);
};

t.test('a refused second person and the holder moving again: one person under the code, ok', async (t) => {
  const report = check([move(A, 0), listing([A], 100), move(B, 200, false), listing([A], 300), move(A, 400), listing([{ ...A, municipality: 'm2', address: '3-4' }], 500)]);
  t.same([report.ok, report.claimed, report.acknowledged, report.duplicated, report.overwritten, report.unread], [true, 3, 2, [], [], []]);
});

t.test('two persons under one code: duplicated, from the first listing that shows it', async (t) => {
  const report = check([move(A, 0), listing([A], 100), move(B, 200), listing([A, B], 300), listing([A, B], 400)]);
  t.equal(report.ok, false);
  t.equal(report.duplicated.length, 1, 'one entry per code');
  t.same(report.duplicated[0]?.persons, [A, B]);
  t.equal(report.duplicated[0]?.listing.atMs, 305);
  t.same(report.overwritten, []);
});

t.test('one person overwritten by another: the acknowledged claim whose person vanished while another holds the code', async (t) => {
  const report = check([move(A, 0), listing([A], 100), move(B, 200), listing([B], 300)]);
  t.equal(report.ok, false);
  t.same(report.duplicated, []);
  t.same(report.overwritten.map((overwrite) => [overwrite.claim.person, overwrite.holders, overwrite.listing.atMs]), [[A, [B], 305]]);
});

t.test('the same person listed twice is one person; a refused claim may be absent; a listing asked before the answer shows nothing of it', async (t) => {
  t.equal(check([move(A, 0), listing([A, { ...A, address: 'elsewhere' }], 100)]).ok, true, 'one identity, two rows');
  t.equal(check([move(A, 0), move(B, 60, false), listing([A], 200)]).ok, true, 'the refused B is not missed');
  t.equal(check([move(A, 0), listing([A], 100), move(B, 200), listing([A], 210)]).ok, true, 'a listing asked while B was in flight');
});

t.test('no listing after an acknowledged claim is unread, and a listing kept only cut short is no listing', async (t) => {
  const unread = check([move(A, 0)]);
  t.same([unread.ok, unread.unread], [true, [CODE]]);
  const recorded = history({ requests: [move(A, 0), move(B, 100), listing('[{"name":"Sato Ken","birthDate":"1971-03-14"},{"name":"Ito…', 200)] });
  const { listings, unreadable } = personListings(recorded);
  t.same([listings.length, unreadable.length], [0, 1]);
  t.same(uniqueness(moveInClaims(recorded), listings).unread, [CODE]);
});

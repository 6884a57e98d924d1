import t from 'tap';
import { durability } from '../../faults/kit/checkers/durability.ts';

const write = (key: string, acknowledged: boolean, atMs = 0) => ({ key, acknowledged, atMs });
const read = (key: string, present: boolean, atMs = 100) => ({ key, present, atMs });

t.test('every acknowledged write read back: ok; a write the target did but did not acknowledge is recovered, not lost', async (t) => {
  const report = durability([write('a', true), write('b', true), write('c', false)], [read('a', true), read('b', true), read('c', true)]);
  t.same(report, { ok: true, attempted: 3, acknowledged: 2, lost: [], unexpected: [], recovered: ['c'], unread: [] });
});

t.test('an acknowledged write read back absent is lost; a record nobody wrote is unexpected', async (t) => {
  const report = durability([write('a', true), write('b', true), write('c', false)], [read('a', false), read('b', true), read('c', false), read('z', true)]);
  t.equal(report.ok, false);
  t.same(report.lost, ['a']);
  t.same(report.unexpected, ['z']);
  t.same(report.recovered, []);
});

t.test('the last read decides, and a write never read back is unread, not lost', async (t) => {
  const back = durability([write('a', true)], [read('a', false, 100), read('a', true, 200)]);
  t.equal(back.ok, true, 'present again after a restart');
  const gone = durability([write('a', true)], [read('a', true, 100), read('a', false, 200)]);
  t.same(gone.lost, ['a'], 'there once, then gone');
  const unread = durability([write('a', true)], []);
  t.same([unread.ok, unread.unread], [true, ['a']]);
});

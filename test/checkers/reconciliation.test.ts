import t from 'tap';
import { reconcile } from '../../faults/kit/checkers/reconciliation.ts';

const sameState = (chip: string, record: string | undefined) => (chip === 'issued') === (record === 'issued');

t.test('stores that agree pass; a chip issued against a record that is not is a disagreement', async (t) => {
  const good = reconcile([{ key: 'c1', left: 'issued', right: 'issued' }, { key: 'c2', left: 'written', right: 'pre-issued' }], sameState);
  t.same(good, { ok: true, compared: 2, disagreements: [] });
  const bad = reconcile([{ key: 'c1', left: 'issued', right: 'issued' }, { key: 'c2', left: 'issued', right: 'pre-issued' }, { key: 'c3', left: 'issued', right: undefined }], sameState);
  t.equal(bad.ok, false);
  t.same(bad.disagreements.map((pair) => pair.key), ['c2', 'c3']);
});

t.test('nothing compared is no disagreement (the caller decides whether that is enough)', async (t) => {
  t.same(reconcile([], sameState), { ok: true, compared: 0, disagreements: [] });
});

import t from 'tap';
import type { Injection } from '../../harness/history/history.ts';
import { crashes } from '../../faults/kit/checkers/no-crash.ts';
import { history, state } from '../helpers/histories.ts';

const act = (target: string, atMs: number, action: string, endMs = atMs + 10): Injection => ({ type: 'injection', atMs, endMs, time: new Date(0).toISOString(), target, action });

t.test('a component that exited on its own is a crash, with its exit status', async (t) => {
  const found = crashes(history({ queries: [state('relay-1', 100, 'running'), state('relay-1', 900, 'exited', 134)] }));
  t.same(found, [{ target: 'relay-1', atMs: 900, exitCode: 134 }]);
});

t.test('exited after being told to stop or killed is no crash; exited again after it was brought back is', async (t) => {
  const told = history({ injections: [act('card-server-1', 500, 'kill')], queries: [state('card-server-1', 600, 'exited', 137)] });
  t.same(crashes(told), []);
  const again = history({
    injections: [act('card-server-1', 500, 'stop'), act('card-server-1', 700, 'restart', 1500)],
    queries: [state('card-server-1', 600, 'exited', 0), state('card-server-1', 1000, 'exited', 0), state('card-server-1', 1600, 'running'), state('card-server-1', 2000, 'exited', 139)],
  });
  t.same(crashes(again), [{ target: 'card-server-1', atMs: 2000, exitCode: 139 }], 'seen exited during its restart is not a crash; after it, it is');
});

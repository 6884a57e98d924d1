import t from 'tap';
import { Rng } from '../harness/seed.ts';

t.test('the same seed draws the same sequence; another seed another', async (t) => {
  const draw = (seed: number) => Array.from({ length: 8 }, () => new Rng(seed)).map((rng, i) => rng.int(0, 1000 + i));
  t.same(draw(7), draw(7));
  const a = new Rng(1);
  const b = new Rng(2);
  t.not(
    Array.from({ length: 5 }, () => a.next()).join(),
    Array.from({ length: 5 }, () => b.next()).join(),
  );
});

t.test('forks are independent of what the parent draws later', async (t) => {
  const first = new Rng(42);
  const second = new Rng(42);
  const forkA = first.fork('latency');
  second.next();
  const forkB = new Rng(42).fork('latency');
  t.equal(forkA.next(), forkB.next());
  t.not(new Rng(42).fork('a').next(), new Rng(42).fork('b').next());
});

t.test('int stays within its bounds and reaches both ends', async (t) => {
  const rng = new Rng(3);
  const seen = new Set<number>();
  for (let i = 0; i < 2000; i++) seen.add(rng.int(1, 4));
  t.same([...seen].sort(), [1, 2, 3, 4]);
});

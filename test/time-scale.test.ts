// A time scale so large that one of the target's declared durations falls below the 1 ms Node's
// timers resolve is refused before anything starts, naming the duration and the largest scale
// that keeps it.
import t from 'tap';
import { HarnessError } from '../harness/errors.ts';
import { checkTimeScale } from '../harness/target/time-scale.ts';

// The contract's default durations at time scale 1 (harness/contract/parameters.ts), as the system
// view gives them at scale N: each divided by N.
const declared = { relayTimeoutMs: 30_000, csSearchTimeoutMs: 10_000, csRequestTimeoutMs: 60_000, csBlockMs: 60_000 };
const at = (timeScale: number) => Object.fromEntries(Object.entries(declared).map(([name, ms]) => [name, ms / timeScale]));

function refusal(timing: Record<string, number>, timeScale: number): HarnessError | undefined {
  try {
    checkTimeScale(timing, timeScale);
    return undefined;
  } catch (error) {
    if (error instanceof HarnessError) return error;
    throw error;
  }
}

t.test('the scales the harness uses, and the largest that keeps every duration, pass', async (t) => {
  for (const timeScale of [1, 2, 60, 1000, 10_000]) t.equal(refusal(at(timeScale), timeScale), undefined, `time scale ${timeScale}`);
});

t.test('one step past the largest scale is refused, naming the shortest duration', async (t) => {
  const error = refusal(at(10_001), 10_001);
  t.ok(error, 'refused');
  t.equal(error?.kind, 'usage');
  t.equal(error?.message, "time scale 10001 makes csSearchTimeoutMs 0.999 ms, shorter than the 1 ms Node's timers resolve: use --time-scale 10000 or less");
});

t.test('an absurd scale: one line, the value at that scale and the largest scale', async (t) => {
  const error = refusal(at(1e9), 1e9);
  t.equal(error?.message, "time scale 1000000000 makes csSearchTimeoutMs 0.00001 ms, shorter than the 1 ms Node's timers resolve: use --time-scale 10000 or less");
  t.notMatch(error?.message ?? '', /\n/);
});

t.test('float error never lowers the largest scale below the exact one', async (t) => {
  // 0.1 * 3 is 0.30000000000000004 and 0.7 * 10 6.999999999999999 in binary floating point.
  t.match(refusal({ shortMs: 7 / 10 }, 10)?.message, /shortMs 0\.7 ms.*use --time-scale 7 or less$/);
  t.match(refusal({ shortMs: 0.1 * 3 }, 10)?.message, /use --time-scale 3 or less$/);
});

t.test('a duration below 1 ms even at time scale 1 says no scale helps', async (t) => {
  t.match(refusal({ tinyMs: 0.25 }, 1)?.message, /^time scale 1 makes tinyMs 0\.25 ms, .*even at time scale 1, so the target's parameters must change$/);
});

t.test('a duration of 0 (a rule that is off) is not a short one', async (t) => {
  t.equal(refusal({ ...at(60), csBlockMs: 0 }, 60), undefined);
  t.equal(refusal({}, 1e9), undefined, 'nothing declared, nothing to check');
});

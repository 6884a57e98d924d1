import { HarnessError } from '../errors.ts';

/** The finest delay Node's timers keep: setTimeout turns anything shorter into 1 ms. */
export const TIMER_RESOLUTION_MS = 1;

/**
 * A duration below 1 ms as a person reads it: 3 significant digits, cut rather than rounded so that
 * 0.9999 never reads as the 1 it falls short of.
 */
function figure(ms: number): string {
  const scale = 10 ** (2 - Math.floor(Math.log10(ms)));
  return String(Math.floor(ms * scale + 1e-9) / scale);
}

/**
 * Refuses a time scale that would shrink one of the target's declared durations below what Node's
 * timers resolve: at that scale the harness (and a process-runtime target) would wait 1 ms where
 * the system waits less, so every timing race would be judged on the wrong clock.
 *
 * `timing` holds the target's durations in real ms at the run's time scale (the system view's
 * `timing`, e.g. relayTimeoutMs, csBlockMs); 0 means a rule that is off, not a short one, and is
 * left alone. The error names the shortest duration, its value at this scale and the largest
 * time scale that keeps every duration at 1 ms or more.
 */
export function checkTimeScale(timing: Readonly<Record<string, number>>, timeScale: number): void {
  const short = Object.entries(timing)
    .filter(([, ms]) => Number.isFinite(ms) && ms > 0 && ms < TIMER_RESOLUTION_MS)
    .sort(([, a], [, b]) => a - b)[0];
  if (short === undefined) return;
  const [name, ms] = short;
  // The duration as declared (time scale 1); rounded to 12 digits so 5000/1e9*1e9 stays 5000.
  const declaredMs = Number((ms * timeScale).toPrecision(12));
  const largest = Math.floor(declaredMs / TIMER_RESOLUTION_MS);
  const remedy =
    largest >= 1
      ? `use --time-scale ${largest} or less`
      : `it is below ${TIMER_RESOLUTION_MS} ms even at time scale 1, so the target's parameters must change`;
  throw new HarnessError(
    'usage',
    `time scale ${timeScale} makes ${name} ${figure(ms)} ms, shorter than the ${TIMER_RESOLUTION_MS} ms Node's timers resolve: ${remedy}`,
  );
}

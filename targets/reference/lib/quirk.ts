/**
 * A knob for the harness's own tests, not a 2016 level: `QUIRK=cs-dies-on-failed-exchange` makes
 * the CS exit (status 70) when a message to the centre fails (no answer in time, a lost connection,
 * a server error): a defect nobody wrote down in 2016, which `ijiwaru explore` must find without
 * being told (test/explore/outside-catalog.test.ts).
 */
const QUIRK = process.env.QUIRK ?? '';

/** Whether this outcome of a message to the centre ends the CS. */
export function diesOnFailedExchange(outcome: { kind: string; status?: number }): boolean {
  if (QUIRK !== 'cs-dies-on-failed-exchange') return false;
  return outcome.kind === 'network' || outcome.kind === 'timeout' || (outcome.kind === 'refused' && (outcome.status ?? 0) >= 500);
}

import t from 'tap';
import { liveness } from '../../faults/kit/checkers/liveness.ts';
import { request } from '../helpers/histories.ts';

const WINDOW = { faultAtMs: 1000, healedAtMs: 5000, switchOverMs: 1000, recoverWithinMs: 2000, maxFailedShare: 0.05 };
const at = (startMs: number, ok: boolean) => request({ target: 'terminal-1', startMs, endMs: startMs + 50, outcome: ok ? 'ok' : 'server-error', status: ok ? 200 : 502 });

t.test('failures inside the switch-over time are allowed; served after it and again soon after the heal: ok', async (t) => {
  const report = liveness([at(1100, false), at(1500, false), at(2500, true), at(3000, true), at(4000, true), at(5100, true)], WINDOW);
  t.same(report, { ok: true, afterSwitchOver: 3, failedAfterSwitchOver: 0, failedShare: 0, firstFailureMs: null, recoveredAfterMs: 150 });
});

t.test('half the work failing after the switch-over is a failure of liveness, whatever the answer said', async (t) => {
  const report = liveness([at(2500, true), at(2600, false), at(3000, true), at(3100, false), at(5100, true)], WINDOW);
  t.equal(report.ok, false);
  t.equal(report.failedShare, 0.5);
  t.equal(report.firstFailureMs, 2650);
});

t.test('nothing served after the heal, or served too late, is not recovered', async (t) => {
  t.same([liveness([at(3000, true), at(5100, false)], WINDOW).ok, liveness([at(3000, true), at(5100, false)], WINDOW).recoveredAfterMs], [false, null]);
  t.equal(liveness([at(3000, true), at(7500, true)], WINDOW).ok, false, 'recovered after 2550 ms, over 2000');
});

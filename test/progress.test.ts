import t from 'tap';
import { clock, createProgress } from '../harness/cli/progress.ts';

function fakeOutput(isTTY: boolean) {
  const writes: string[] = [];
  return { isTTY, writes, write: (text: string) => writes.push(text), text: () => writes.join('') };
}

t.test('plain output (CI logs): stamped lines, phase with the most left, no control characters', async (t) => {
  let time = 0;
  const output = fakeOutput(false);
  const progress = createProgress(output, { now: () => time });
  progress.plan([{ name: 'F1', atMostMs: 60_000 }, { name: 'F2', atMostMs: 50_000 }]);
  progress.phase('F1');
  time = 12_000;
  progress.say('F1: finding: a board left waiting');
  time = 20_000;
  progress.phase('F2');
  progress.end();
  t.equal(
    output.text(),
    '[0:00] F1: begins (at most 1:50 left in the run)\n[0:12] F1: finding: a board left waiting\n[0:20] F2: begins (at most 0:50 left in the run)\n',
  );
  t.notMatch(output.text(), /\u001b|\r/);
});

t.test('terminal: news lines above one status line redrawn in place, gone at the end', async (t) => {
  let time = 0;
  const output = fakeOutput(true);
  const progress = createProgress(output, { now: () => time });
  progress.plan([{ name: 'ramp', atMostMs: 600_000 }]);
  progress.phase('ramp');
  time = 65_000;
  progress.say('k6 running');
  progress.end();
  const text = output.text();
  t.match(text, /ramp: begins \(at most 10:00 left in the run\)\n\[ramp 1\/1\] elapsed 0:00, at most 10:00 left/);
  t.match(text, /\r\u001b\[2Kk6 running\n\[ramp 1\/1\] elapsed 1:05, at most 8:55 left\r\u001b\[2K$/, 'the status line is cleared last');
});

t.test('an unplanned phase has no estimate; the clock never goes negative', async (t) => {
  let time = 0;
  const output = fakeOutput(false);
  const progress = createProgress(output, { now: () => time });
  progress.phase('setup');
  time = 3_000;
  progress.say('images built');
  progress.end();
  t.equal(output.text(), '[0:00] setup: begins\n[0:03] images built\n');
  t.equal(clock(-5), '0:00');
  t.equal(clock(3_599_400), '59:59');
});

t.test('a quiet plain run gets a heartbeat line', async (t) => {
  let time = 0;
  const output = fakeOutput(false);
  const progress = createProgress(output, { now: () => time, heartbeatMs: 10 });
  progress.plan([{ name: 'soak', atMostMs: 60_000 }]);
  progress.phase('soak');
  time = 30_000;
  // The heartbeat timer checks at most every 10 ms here; the fake clock says 30 s of silence.
  await new Promise((resolve) => setTimeout(resolve, 50));
  progress.end();
  t.match(output.text(), /\[0:30\] still running: \[soak 1\/1\] elapsed 0:30, at most 0:30 left\n/);
});

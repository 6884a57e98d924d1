// Per-file times of the last test command for bench/tests.md: reads .tap/last-run.tap (kept by
// test/run.ts) and prints a markdown table of each tap file's wall time, slowest first, flagging
// any file that needed more than half of its tap timeout, then the phases' times.
//   npm test; node bench/tests.ts [--file .tap/last-run.tap]
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { projectRoot } from '../harness/paths.ts';
import { EXPIRED_LINE, FILE_LINE, fileLimitS, SUBTEST_LINE } from '../test/helpers/file-times.ts';


const { values } = parseArgs({ options: { file: { type: 'string', default: path.join(projectRoot, '.tap', 'last-run.tap') } } });
const lines = readFileSync(values.file, 'utf8').split('\n');

interface Row {
  phase: number;
  file: string;
  /** NaN for a file tap killed at its timeout: its line carries no time. */
  seconds: number;
  ok: boolean;
  timedOut: boolean;
}

// The kept stream is one TAP stream a phase, one after another; test/run.ts ends each with a
// comment `# ijiwaru phase N of M time=Xms`. A file's own line is at the top level, unindented:
// `ok 3 - test/x.test.ts # time=1234.5ms` (`not ok` when it failed), after its `# Subtest:` line;
// a file tap killed at its timeout ends in `not ok 3 - timeout!`, with no time and the file
// named by `expired:` in the YAML block under it.
const rows: Row[] = [];
const phases: { phase: string; seconds: number }[] = [];
let phase = 1;
let subtest = '';
let killed: Row | undefined;
for (const line of lines) {
  subtest = SUBTEST_LINE.exec(line)?.[1] ?? subtest;
  const file = FILE_LINE.exec(line);
  if (file) {
    const timedOut = line.includes(' - timeout!');
    rows.push({ phase, file: timedOut ? subtest : (file[2] ?? subtest), seconds: Number(file[3] ?? NaN) / 1000, ok: !file[1], timedOut });
    killed = timedOut ? rows.at(-1) : undefined;
  }
  // The YAML block under `timeout!` names the file that expired.
  const expired = EXPIRED_LINE.exec(line);
  if (expired && killed) {
    killed.file = expired[1] ?? killed.file;
    killed = undefined;
  }
  const ended = /^# ijiwaru phase (\d+ of \d+) time=(\d+)ms/.exec(line);
  if (ended) {
    phases.push({ phase: ended[1] ?? '', seconds: Number(ended[2]) / 1000 });
    phase++;
  }
}
if (rows.length === 0) {
  console.error(`bench/tests: no test file lines in ${values.file}; run npm test first`);
  process.exit(2);
}

// Slowest first; a file killed at the timeout was the slowest of all.
const key = (row: Row) => (row.timedOut ? Infinity : Number.isNaN(row.seconds) ? 0 : row.seconds);
rows.sort((a, b) => key(b) - key(a));
const over = rows.filter((row) => row.timedOut || row.seconds > fileLimitS(row.file));
console.log('| file | phase | time | note |');
console.log('| --- | --- | --- | --- |');
for (const row of rows) {
  const time = row.timedOut ? 'timeout' : Number.isNaN(row.seconds) ? '?' : `${row.seconds.toFixed(1)} s`;
  const note = [row.timedOut || row.seconds > fileLimitS(row.file) ? `**over ${fileLimitS(row.file)} s**` : '', row.timedOut ? "killed at tap's timeout" : row.ok ? '' : 'failed'].filter(Boolean).join(', ');
  console.log(`| \`${row.file}\` | ${row.phase} | ${time} | ${note} |`);
}
console.log('');
if (phases.length > 0) console.log(`Phases: ${phases.map(({ phase, seconds }) => `${phase} ${Math.round(seconds)} s`).join('; ')}.`);
console.log(over.length === 0 ? 'No file above half of its tap timeout.' : `${over.length} file(s) above half of their tap timeout: ${over.map((row) => row.file).join(', ')}.`);

// Reading tap's own stream for each file's time, shared by the test command (test/run.ts) and
// bench/tests.ts, and the time no file may exceed.

/**
 * A file's line in tap's own stream: `ok 3 - test/x.test.ts # time=1234.5ms` (not ok when it
 * failed), after its `# Subtest: test/x.test.ts`. A file tap killed at its timeout ends in
 * `not ok 3 - timeout!` instead, with no time, named by `expired:` in the YAML block under it.
 */
export const FILE_LINE = /^(not )?ok \d+ - (\S+)(?: # .*?\btime=([\d.]+)ms)?/;
export const SUBTEST_LINE = /^# Subtest: (.+)$/;
export const EXPIRED_LINE = /^ {2}expired: (.+)$/;

/** tap's timeout per file: .taprc's 300 s, and 900 s for a suite's file, which sets it itself (`suiteTimeout`). */
export const SUITE_TIMEOUT_S = 900;
const TIMEOUT_S = 300;

/** The most a file may need on the 2-core machine: half of its own tap timeout. */
export function fileLimitS(file: string): number {
  return (file.startsWith('test/suites/') ? SUITE_TIMEOUT_S : TIMEOUT_S) / 2;
}

/** Called by a suite's file: its load runs for minutes, so its tap timeout is SUITE_TIMEOUT_S. */
export function suiteTimeout(t: { setTimeout(ms: number): unknown }): void {
  t.setTimeout(SUITE_TIMEOUT_S * 1000);
}

// The limit suite, shortened (2.5 minutes for the whole ramp, stopped once past the knee): the knee
// rises from 2016-01 (70 connections and the block rule) to fixed (no block rule). The capacity
// of the levels between (94 connections from 2016-07) is asserted where it is deterministic:
// test/targets/relay.test.ts.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import type { Report } from '../../harness/report/report.ts';
import { knee, type StepFigures } from '../../harness/suites/limit.ts';
import { ijiwaru } from '../helpers/cli.ts';
import { suiteTimeout } from '../helpers/file-times.ts';

suiteTimeout(t);

const step = (per10Min: number, errorShare: number, searchP95Ms = 1700): StepFigures => ({ per10Min, requests: 200, errors: Math.round(errorShare * 200), errorShare, searchP95Ms });

t.test('the knee: the first step past 5 % errors or three times the first p95', async (t) => {
  t.same(knee([step(6000, 0), step(6500, 0.04), step(7000, 0.06)])?.index, 2);
  t.same(knee([step(6000, 0), step(6500, 0, 6000)])?.index, 1);
  t.equal(knee([step(6000, 0), step(6500, 0.01)]), null);
});

const scratch = mkdtempSync(path.join(os.tmpdir(), 'ijiwaru-limit-suite-'));
t.teardown(() => rmSync(scratch, { recursive: true, force: true }));

t.test('the knee rises from 2016-01 to fixed', async (t) => {
  const knees: number[] = [];
  for (const level of ['2016-01', 'fixed']) {
    const outDir = path.join(scratch, level);
    const run = await ijiwaru(['run', '--target', `reference@${level}`, '--suite', 'limit', '--minutes', '2.5', '--out', outDir]);
    t.not(run.status, 2, `${level}: the suite ran`);
    const report = JSON.parse(readFileSync(path.join(outDir, 'report.json'), 'utf8')) as Report;
    const result = report.results.find((entry) => entry.fault === 'N1');
    const at = (result?.measurements as { kneePer10Min: number | null } | undefined)?.kneePer10Min ?? null;
    t.type(at, 'number', `${level}: ${result?.summary}`);
    knees.push(at ?? Infinity);
  }
  t.ok(knees[0]! < knees[1]!, `knees ${knees.join(' < ')} messages per 10 min`);
});

// Figures for bench/explore.md: `ijiwaru explore` on a target for a budget over seeds: experiments
// per minute on this machine, when each finding was first seen (and which catalog fault it
// matches), the coverage of the space at the end, and whether any finding came up at all.
//   node bench/explore.ts --target reference@2016-01 [--budget 10m] [--seeds 1,2,3] [--keep DIR]
// --keep keeps each seed's report and evidence in DIR/seed-N, to look into a finding.
// The table goes to stdout, each experiment's line to stderr.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { budgetFlag } from '../harness/cli/args.ts';
import { explore } from '../harness/explore/explore.ts';

const { values } = parseArgs({ options: { target: { type: 'string', default: 'reference@2016-01' }, budget: { type: 'string', default: '10m' }, seeds: { type: 'string', default: '1' }, keep: { type: 'string' } } });
const scratch = values.keep ?? mkdtempSync(path.join(os.tmpdir(), 'ijiwaru-bench-explore-'));
const minutes = (ms: number) => (ms / 60_000).toFixed(1);
console.log(`| target | seed | experiments (+ replay/shrink runs) | per minute | coverage | findings: first seen after (matches) |`);
console.log('| --- | --- | --- | --- | --- | --- |');
for (const seed of values.seeds.split(',').map(Number)) {
  const report = await explore({ target: values.target, runtime: 'docker', seed, budgetMs: budgetFlag(values.budget), outDir: path.join(scratch, `seed-${seed}`), say: (line) => process.stderr.write(`${line}\n`) });
  const summary = report.explore!;
  const findings = report.results
    .filter((result) => result.verdict === 'finding')
    .map((result) => {
      const measured = result.measurements as { foundAfterMs: number; matches: string | null };
      return `${result.fault} ${minutes(measured.foundAfterMs)} min (${measured.matches ?? 'new'})`;
    });
  const perMinute = (summary.experiments + summary.shrinkRuns) / (report.durationMs / 60_000);
  console.log(
    `| ${values.target} | ${seed} | ${summary.experiments} (+${summary.shrinkRuns}) in ${minutes(report.durationMs)} min | ${perMinute.toFixed(1)} | ${summary.coverage.covered} of ${summary.coverage.cells} cells | ${findings.join('; ') || 'none'} |`,
  );
}
if (values.keep === undefined) rmSync(scratch, { recursive: true, force: true });

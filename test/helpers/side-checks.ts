// Each fault's own evidence, checked on every seeded run of both sides of its proof.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { readHistory } from '../../harness/history/history.ts';
import { junitSchemaErrors } from './junit-schema.ts';
import type { SideCheck } from './mean-runs.ts';

export const F1_CHECK: SideCheck = (t, { seed, outDir }) => {
  for (const file of ['evidence/F1/view.json', 'evidence/F1/judgement.json', 'evidence/F1/history.jsonl', 'evidence/F1/logs/relay-1.log']) {
    t.ok(existsSync(path.join(outDir, file)), `seed ${seed}: ${file} exists`);
  }
};

export const F3_CHECK: SideCheck = (t, { seed, outDir }) => {
  const { requests } = readHistory(path.join(outDir, 'evidence/F3/history.jsonl'));
  const pushed = requests.filter((operation) => operation.data?.['role'] === 'trigger' && operation.outcome !== 'ok').length;
  t.ok(pushed > 0, `seed ${seed}: the push met the cap (${pushed} pushed requests turned away)`);
};

export const F4_CHECK: SideCheck = async (t, { seed, outDir, level }, expected) => {
  t.match(JSON.parse(readFileSync(path.join(outDir, 'report.json'), 'utf8')), { schema: 'ijiwaru.report/2', seed, target: { variant: level } }, `seed ${seed}: report.json`);
  const junit = readFileSync(path.join(outDir, 'junit.xml'), 'utf8');
  t.same(await junitSchemaErrors(junit), [], `seed ${seed}: junit.xml validates against the common schema`);
  t.equal(/<failure /.test(junit), expected === 'finding', `seed ${seed}: junit.xml has a failure exactly when F4 is a finding`);
};

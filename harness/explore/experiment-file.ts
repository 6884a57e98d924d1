import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { COMPONENT_ACTIONS, EVERY_LINK_MODE, EXPERIMENT_SCHEMA, STEP_OPS, type Experiment } from '../../faults/experiment/types.ts';
import { BATCH_RECORDS } from '../../faults/experiment/batch-step.ts';
import { PRE_ISSUE_EXCHANGES } from '../../faults/kit/chip-write.ts';
import { HarnessError } from '../errors.ts';

const faultSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('link'), link: z.string().min(1), mode: z.enum(EVERY_LINK_MODE as [string, ...string[]]) }),
  z.strictObject({ kind: z.literal('component'), component: z.string().min(1), action: z.enum(COMPONENT_ACTIONS as [string, ...string[]]) }),
]);

const experimentSchema = z
  .strictObject({
    schema: z.literal(EXPERIMENT_SCHEMA),
    seed: z.int().min(0),
    workload: z.array(z.enum(STEP_OPS as [string, ...string[]])).min(1),
    faults: z.array(z.strictObject({ fault: faultSchema, placement: z.strictObject({ step: z.int().min(0), exchange: z.int().min(1).max(PRE_ISSUE_EXCHANGES).optional(), record: z.int().min(1).max(BATCH_RECORDS).optional() }) })),
  })
  .refine((experiment) => experiment.faults.every((placed) => placed.placement.step < experiment.workload.length), { message: 'every placement within the workload', path: ['faults'] })
  // A point within a step is the step's own: an exchange of a pre-issue, a record of a batch.
  .refine((experiment) => experiment.faults.every(({ placement }) => placement.exchange === undefined || experiment.workload[placement.step] === 'pre-issue'), { message: 'an exchange only on a pre-issue', path: ['faults'] })
  .refine((experiment) => experiment.faults.every(({ placement }) => placement.record === undefined || experiment.workload[placement.step] === 'batch'), { message: 'a record only on a batch', path: ['faults'] });

/**
 * An experiment file (`ijiwaru explore` writes them under experiments/; `ijiwaru run --experiment`
 * replays one). Any mistake is one line naming the file; links and components are checked
 * against the target when it is built.
 */
export function readExperiment(file: string, cwd = process.cwd()): { file: string; experiment: Experiment } {
  const absolute = path.resolve(cwd, file);
  const fail = (message: string): never => {
    throw new HarnessError('usage', `--experiment ${file}: ${message}`);
  };
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(absolute, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    fail(code === 'ENOENT' ? 'no such file' : error instanceof SyntaxError ? `not valid JSON: ${error.message}` : `cannot be read (${(error as Error).message})`);
  }
  const parsed = experimentSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return fail(`${issue.path.length > 0 ? issue.path.map(String).join('.') : '(top level)'}: ${issue.message}`);
  }
  return { file: absolute, experiment: parsed.data as Experiment };
}

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { HarnessError } from '../errors.ts';
import { describeIssue } from './load.ts';
import { parameterSheetSchema } from './schema.ts';

/** A parameter sheet (N3): CONTRACT.md 3 parameters by name, and the file that gave them. */
export interface ParameterSheet {
  file: string;
  parameters: Record<string, string>;
}

/**
 * A parameter sheet file (N3): a JSON object of CONTRACT.md 3 parameters, NAME: "value" at time
 * scale 1, the format of a config file's `parameters`. Any mistake is one line naming the flag and file.
 */
export function readSheet(flag: string, file: string, cwd = process.cwd()): ParameterSheet {
  const absolute = path.resolve(cwd, file);
  const fail = (message: string): never => {
    throw new HarnessError('usage', `${flag} ${file}: ${message}`);
  };
  let text = '';
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (error) {
    fail((error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `cannot be read (${(error as Error).message})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    fail(`not valid JSON: ${(error as Error).message}`);
  }
  const parsed = parameterSheetSchema.safeParse(data, { reportInput: true });
  if (!parsed.success) return fail(describeIssue(parsed.error.issues[0] as Parameters<typeof describeIssue>[0]));
  return { file: absolute, parameters: parsed.data };
}

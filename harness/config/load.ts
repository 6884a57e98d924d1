import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as z from 'zod';
import { HarnessError } from '../errors.ts';
import { configSchema, type Config } from './schema.ts';

/** Looked for in the working directory when no --config is given. */
export const CONFIG_NAMES = ['ijiwaru.config.ts', 'ijiwaru.config.json'] as const;

/** The config file to use: the one named, else the one in `cwd`, else none. */
export function findConfig(named: string | undefined, cwd = process.cwd()): string | undefined {
  if (named !== undefined) return named;
  const found = CONFIG_NAMES.filter((name) => existsSync(path.join(cwd, name)));
  if (found.length > 1) throw new HarnessError('usage', `both ${found.join(' and ')} are in ${cwd}: name one with --config`);
  return found[0];
}

/**
 * Reads and validates a config file (`file` as the user wrote it, resolved against `cwd`). Every
 * failure is one line that names the file: missing, unreadable JSON, a module that throws or has
 * no default export, or the first schema error with its field path.
 */
export async function loadConfig(file: string, cwd = process.cwd()): Promise<Config> {
  const absolute = path.resolve(cwd, file);
  const fail = (message: string, cause?: unknown): never => {
    throw new HarnessError('usage', `${file}: ${message}`, { cause });
  };
  if (!existsSync(absolute)) fail('no such config file');
  let data: unknown;
  if (absolute.endsWith('.json')) {
    try {
      data = JSON.parse(readFileSync(absolute, 'utf8'));
    } catch (error) {
      fail(`not valid JSON: ${(error as Error).message}`, error);
    }
  } else if (absolute.endsWith('.ts')) {
    let module: { default?: unknown };
    try {
      module = (await import(pathToFileURL(absolute).href)) as { default?: unknown };
    } catch (error) {
      return fail(`could not be loaded: ${firstLine(error)}`, error);
    }
    if (module.default === undefined) fail('has no default export (export default { target: {...}, run: {...} })');
    data = module.default;
  } else {
    fail('a config file is .ts or .json');
  }
  const parsed = configSchema.safeParse(data, { reportInput: true, error: fallbackMessage });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue) fail(describeIssue(issue));
  }
  return parsed.data as Config;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}

/** For the few issues the schema words no expectation of its own (a wrong type of an object or array). */
function fallbackMessage(issue: { code?: string; expected?: string }): string | undefined {
  if (issue.code !== 'invalid_type' || issue.expected === undefined) return undefined;
  return /^[aeiou]/.test(issue.expected) ? `an ${issue.expected}` : `a ${issue.expected}`;
}

/** `field.path: expected X, got Y` (or `unknown key`, or `missing`). */
export function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length > 0 ? issue.path.map(String).join('.') : '(top level)';
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((key) => [...issue.path.map(String), key].join('.'));
    return `${keys.join(', ')}: unknown key${issue.keys.length > 1 ? 's' : ''} (expected ${keysAt(issue.path).join(', ')})`;
  }
  if (issue.input === undefined) return `${where}: missing (expected ${issue.message})`;
  return `${where}: expected ${issue.message}, got ${show(issue.input)}`;
}

/** The keys the schema allows for the object at `at`. */
function keysAt(at: readonly PropertyKey[]): string[] {
  const unwrap = (schema: z.ZodType): z.ZodType => (schema instanceof z.ZodOptional ? unwrap(schema.unwrap() as z.ZodType) : schema);
  let schema: z.ZodType = configSchema;
  for (const key of at.map(String)) {
    const inner = unwrap(schema);
    if (inner instanceof z.ZodObject) schema = inner.shape[key] as z.ZodType;
    else if (inner instanceof z.ZodRecord) schema = inner.valueType as z.ZodType;
  }
  const object = unwrap(schema);
  return object instanceof z.ZodObject ? Object.keys(object.shape) : [];
}

function show(value: unknown): string {
  const shown = JSON.stringify(value) ?? String(value);
  return shown.length > 60 ? `${shown.slice(0, 57)}...` : shown;
}

import { parseArgs, type ParseArgsConfig } from 'node:util';
import { HarnessError } from '../errors.ts';
import { RUNTIME_KINDS } from '../runtime/create.ts';
import type { RuntimeKind } from '../runtime/types.ts';

type Options = NonNullable<ParseArgsConfig['options']>;
export type Flags = Record<string, string | boolean | undefined>;

/** Parses a command's flags strictly; any mistake is a usage error naming the command's help. */
export function parseFlags(command: string, argv: string[], options: Options): Flags {
  try {
    const { values } = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false });
    return values as Flags;
  } catch (error) {
    throw new HarnessError('usage', `${(error as Error).message.split('\n')[0]} (see 'ijiwaru ${command} --help')`);
  }
}

export function runtimeFlag(value: string | boolean | undefined): RuntimeKind {
  const kind = (value ?? 'docker') as RuntimeKind;
  if (!RUNTIME_KINDS.includes(kind)) {
    throw new HarnessError('usage', `unknown runtime "${String(value)}": use one of ${RUNTIME_KINDS.join(', ')}`);
  }
  return kind;
}

export function positiveNumber(flag: string, value: string | boolean | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new HarnessError('usage', `${flag} must be a positive number, not "${String(value)}"`);
  return number;
}

export function positiveInteger(flag: string, value: string | boolean | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new HarnessError('usage', `${flag} must be a positive whole number, not "${String(value)}"`);
  return number;
}

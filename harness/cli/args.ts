import { parseArgs, type ParseArgsConfig } from 'node:util';
import { HarnessError } from '../errors.ts';
import { RUNTIME_KINDS } from '../runtime/create.ts';
import type { RuntimeKind } from '../runtime/types.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Parses a command's flags strictly; any mistake is a usage error naming the command's help. */
export function parseFlags(command: string, argv: string[], options: Options): Record<string, string | boolean | undefined> {
  try {
    const { values } = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false });
    return values as Record<string, string | boolean | undefined>;
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

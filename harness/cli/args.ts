import { parseArgs, type ParseArgsConfig } from 'node:util';
import { HarnessError } from '../errors.ts';
import { RUNTIME_KINDS } from '../runtime/types.ts';
import type { RuntimeKind } from '../runtime/types.ts';

type Options = NonNullable<ParseArgsConfig['options']>;
export type Flags = Record<string, string | boolean | undefined>;

/** A value that reads as a negative number: `--seed -3` means the value -3, not an option -3. */
const NEGATIVE_NUMBER = /^-(\d|\.\d)/;

/**
 * `--flag -3` as `--flag=-3`, for the flags that take a value: node's parser would otherwise take
 * -3 for an option and say only that the argument is ambiguous, where the flag's own check can
 * say what the flag accepts.
 */
function joinNegativeValues(argv: string[], options: Options): string[] {
  const joined: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      joined.push(...argv.slice(i));
      break;
    }
    const next = argv[i + 1];
    const name = arg.startsWith('--') ? arg.slice(2) : undefined;
    if (name !== undefined && options[name]?.type === 'string' && next !== undefined && NEGATIVE_NUMBER.test(next)) {
      joined.push(`${arg}=${next}`);
      i++;
    } else {
      joined.push(arg);
    }
  }
  return joined;
}

/**
 * Parses a command's flags strictly, and its positional arguments when it names them (`DIR`);
 * any mistake is a usage error naming the command's help.
 */
export function parseCommand(command: string, argv: string[], options: Options, positionals: readonly string[] = []): { flags: Flags; positionals: string[] } {
  const help = `(see 'ijiwaru ${command} --help')`;
  let parsed: { values: Flags; positionals: string[] };
  try {
    const { values, positionals: given } = parseArgs({
      args: joinNegativeValues(argv, options),
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: positionals.length > 0,
    });
    parsed = { values: values as Flags, positionals: given };
  } catch (error) {
    throw new HarnessError('usage', `${(error as Error).message.split('\n')[0]} ${help}`);
  }
  if (parsed.values.help) return { flags: parsed.values, positionals: parsed.positionals };
  const extra = parsed.positionals[positionals.length];
  if (extra !== undefined) throw new HarnessError('usage', `Unexpected argument '${extra}' ${help}`);
  const missing = positionals[parsed.positionals.length];
  if (missing !== undefined) throw new HarnessError('usage', `${missing} is required ${help}`);
  return { flags: parsed.values, positionals: parsed.positionals };
}

/** Parses a command's flags strictly; any mistake is a usage error naming the command's help. */
export function parseFlags(command: string, argv: string[], options: Options): Flags {
  return parseCommand(command, argv, options).flags;
}

export function runtimeFlag(value: string | boolean | undefined): RuntimeKind {
  const kind = (value ?? 'docker') as RuntimeKind;
  if (!RUNTIME_KINDS.includes(kind)) {
    throw new HarnessError('usage', `unknown runtime "${String(value)}": use one of ${RUNTIME_KINDS.join(', ')}`);
  }
  return kind;
}

/** The number a flag's value reads as; NaN for a blank one (which Number() would read as 0). */
function numberOf(value: string | boolean | undefined): number {
  return typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
}

export function positiveNumber(flag: string, value: string | boolean | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const number = numberOf(value);
  if (!Number.isFinite(number) || number <= 0) throw new HarnessError('usage', `${flag} must be a positive number, not "${String(value)}"`);
  return number;
}

export function positiveInteger(flag: string, value: string | boolean | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const number = numberOf(value);
  if (!Number.isSafeInteger(number) || number < 1) throw new HarnessError('usage', `${flag} must be a positive whole number, not "${String(value)}"`);
  return number;
}

/** The largest seed that stays itself: the generator keeps 32 bits (harness/seed.ts). */
export const MAX_SEED = 2 ** 32 - 1;

/** `--seed`: a whole number from 0 up, each one a different run. */
export function seedFlag(value: string | boolean | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const number = numberOf(value);
  if (!Number.isSafeInteger(number) || number < 0 || number > MAX_SEED) {
    throw new HarnessError('usage', `--seed must be a whole number >= 0 (at most ${MAX_SEED}), not "${String(value)}"`);
  }
  return number;
}

/** `--budget`: a wall time like 90s, 10m or 1h (a bare number is minutes), in milliseconds. */
export function budgetFlag(value: string | boolean | undefined): number {
  if (value === undefined) return 10 * 60_000;
  const match = typeof value === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*(s|m|h)?\s*$/.exec(value) : null;
  const amount = Number(match?.[1]);
  if (!match || !(amount > 0)) throw new HarnessError('usage', `--budget must be a positive duration like 90s, 10m or 1h, not "${String(value)}"`);
  return Math.round(amount * { s: 1000, m: 60_000, h: 3_600_000 }[(match[2] ?? 'm') as 's' | 'm' | 'h']);
}

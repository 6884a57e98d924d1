import { existsSync, readFileSync, statSync } from 'node:fs';

/** Evidence files larger than this are named in the report but not read into it. */
const MAX_READ_BYTES = 256 * 1024 * 1024;

/** The text of an evidence file, or undefined when it is missing or too large to read whole. */
export function readEvidence(file: string): string | undefined {
  if (!existsSync(file) || statSync(file).size > MAX_READ_BYTES) return undefined;
  return readFileSync(file, 'utf8');
}

/**
 * The JSON lines of an evidence file. A line that does not parse is skipped: the last line of a
 * file written up to a crash may be cut short, and the report still reads the rest.
 */
export function readJsonLines<T>(file: string): T[] {
  const lines: T[] = [];
  for (const line of (readEvidence(file) ?? '').split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      lines.push(JSON.parse(line) as T);
    } catch {
      // a torn last line
    }
  }
  return lines;
}

export function readJson(file: string): unknown {
  const text = readEvidence(file);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

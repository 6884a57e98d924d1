import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** What stands in the evidence where a secret (a PIN) was. */
export const REDACTED = '[redacted]';

/** `text` with every secret replaced. */
export function redactText(text: string, secrets: Iterable<string>): string {
  let clean = text;
  for (const secret of secrets) clean = clean.replaceAll(secret, REDACTED);
  return clean;
}

/**
 * Every file under `dir` (the components' saved logs) with the secrets replaced: the evidence
 * shows where a target wrote a PIN, never the PIN. A missing folder has nothing to redact.
 */
export function redactFiles(dir: string, secrets: ReadonlySet<string>): void {
  if (secrets.size === 0) return;
  let entries;
  try {
    entries = readdirSync(dir, { recursive: true, withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const text = readFileSync(file, 'utf8');
    const clean = redactText(text, secrets);
    if (clean !== text) writeFileSync(file, clean);
  }
}

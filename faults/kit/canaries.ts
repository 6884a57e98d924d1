import type { History, Recorded, Rng, StartedTopology } from '../../harness/fault-api.ts';

/** A signature-style PIN (CONTRACT.md 2.1: 6–16 letters and digits), long enough that no log or file holds it by chance. */
const CANARY_LENGTH = 12;
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** `count` PINs drawn from the seed: canaries whose every copy is a leak. */
export function pinCanaries(rng: Rng, count: number): string[] {
  return Array.from({ length: count }, () => Array.from({ length: CANARY_LENGTH }, () => ALPHABET[rng.int(0, ALPHABET.length - 1)]).join(''));
}

/** Where a canary was found; never the canary itself, only its index among the run's. */
export interface CanaryHit {
  component: string;
  place: 'log' | 'file';
  /** The file's path in the component, or `stdout` for its log. */
  file: string;
  /** 1-based line of the file (a binary file's lines are its newline-separated runs). */
  line: number;
  canary: number;
}

/** Every occurrence of every canary in `content`, by line. */
export function findCanaries(content: Buffer, canaries: readonly string[]): Array<{ line: number; canary: number }> {
  const found: Array<{ line: number; canary: number }> = [];
  canaries.forEach((canary, index) => {
    const needle = Buffer.from(canary);
    for (let at = content.indexOf(needle); at !== -1; at = content.indexOf(needle, at + needle.length)) {
      let line = 1;
      for (let byte = content.indexOf(10); byte !== -1 && byte < at; byte = content.indexOf(10, byte + 1)) line++;
      found.push({ line, canary: index });
    }
  });
  return found;
}

export interface ScanResult {
  logLines: number;
  files: number;
  bytes: number;
  hits: CanaryHit[];
}

/** The query a scan is recorded under. */
export const CANARY_SCAN = 'canary-scan';

/**
 * Scans each component's log and every file it changed (its container's diff and the run's shared
 * folder: the card server's database, the CS's chip files) for the canaries, and records one query
 * per component with the hits. The history sees indexes and places, never a canary.
 */
export async function scanForCanaries(topology: Pick<StartedTopology, 'component'>, history: History, components: readonly string[], canaries: readonly string[]): Promise<void> {
  for (const name of components) {
    const component = topology.component(name);
    await history
      .query(name, CANARY_SCAN, async (): Promise<ScanResult> => {
        const log = Buffer.from(await component.logs());
        const files = await component.changedFiles();
        const hits: CanaryHit[] = [
          ...findCanaries(log, canaries).map((hit) => ({ component: name, place: 'log' as const, file: 'stdout', ...hit })),
          ...files.flatMap((file) => findCanaries(file.content, canaries).map((hit) => ({ component: name, place: 'file' as const, file: file.path, ...hit }))),
        ];
        return { logLines: log.toString().split('\n').length - 1, files: files.length, bytes: files.reduce((sum, file) => sum + file.content.length, 0), hits };
      })
      // A scan that could not be made is recorded with its error; the judge calls it unscanned.
      .catch(() => undefined);
  }
}

/** The scans of a history: each component's result, and where the same file (the shared folder) was seen twice, one hit. */
export function canaryScans(history: Recorded): { scanned: Map<string, ScanResult>; hits: CanaryHit[] } {
  const scanned = new Map<string, ScanResult>();
  for (const query of history.queries) {
    if (query.query === CANARY_SCAN && query.result !== undefined) scanned.set(query.target, query.result as ScanResult);
  }
  const seen = new Set<string>();
  const hits = [...scanned.values()]
    .flatMap((scan) => scan.hits)
    .filter((hit) => {
      const key = hit.place === 'file' ? `${hit.file}:${hit.line}:${hit.canary}` : `${hit.component}:${hit.line}:${hit.canary}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  return { scanned, hits };
}

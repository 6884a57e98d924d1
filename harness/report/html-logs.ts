import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { Operation } from '../history/history.ts';
import { readEvidence, readJson } from './html-evidence.ts';

/** Lines shown per finding in all, and the longest line shown whole. */
const MAX_LINES = 40;
const MAX_LINE_CHARS = 400;
/** Request IDs looked for per finding. */
const MAX_IDS = 500;

export interface LogExcerpts {
  /** `correlationId` where the target writes one (N2); otherwise its `requestId` field, as a fallback. */
  joinedBy: 'correlationId' | 'requestId';
  ids: number;
  components: Array<{ file: string; matched: number; lines: string[] }>;
}

/**
 * The request IDs a finding involves: every `requestId`, `requestIds` or `correlationId` in its
 * evidence JSON, and the failed requests of the history.
 */
export function involvedRequestIds(operations: readonly Operation[], evidenceJsonFiles: readonly string[]): string[] {
  const ids = new Set<string>();
  // The evidence names the requests that decided the verdict: those first, should the cap bite.
  for (const file of evidenceJsonFiles) collectIds(readJson(file), ids, 0);
  for (const operation of operations) {
    const id = operation.data?.['requestId'];
    if (operation.outcome !== 'ok' && typeof id === 'string') ids.add(id);
  }
  return [...ids].slice(0, MAX_IDS);
}

function collectIds(value: unknown, ids: Set<string>, depth: number): void {
  if (depth > 12 || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const item of value) collectIds(item, ids, depth + 1);
    return;
  }
  for (const [key, item] of Object.entries(value)) {
    if ((key === 'requestId' || key === 'correlationId') && typeof item === 'string') {
      ids.add(item);
    } else if (key === 'requestIds' && Array.isArray(item)) {
      for (const id of item) if (typeof id === 'string') ids.add(id);
    } else {
      collectIds(item, ids, depth + 1);
    }
  }
}

const field = (name: string) => new RegExp(`"${name}"\\s*:\\s*"((?:[^"\\\\]|\\\\.)*)"`);
const CORRELATION = field('correlationId');
const REQUEST = field('requestId');

/**
 * The log lines of `logDir` that belong to the requests: joined by `correlationId` when any line
 * of the target carries one; else by the `requestId` field, which the target may not keep on every
 * hop, so the join is partial (F14). At most MAX_LINES, shared among the components that match.
 */
export function logExcerpts(logDir: string, ids: readonly string[], relativeTo: string): LogExcerpts {
  const files = safeList(logDir).filter((name) => name.endsWith('.log')).sort();
  const logs = files.map((name) => ({ file: path.join(logDir, name), lines: (readEvidence(path.join(logDir, name)) ?? '').split('\n') }));
  const joinedBy = logs.some((log) => log.lines.some((line) => CORRELATION.test(line))) ? 'correlationId' : 'requestId';
  const pattern = joinedBy === 'correlationId' ? CORRELATION : REQUEST;
  // The IDs come in order of relevance (the evidence's first); a lower rank is shown first.
  const rank = new Map(ids.map((id, index) => [id, index]));
  // A target may derive its correlation ID from the terminal's request ID (CONTRACT.md 1).
  const rankOf = (value: string) => rank.get(value) ?? rank.get(value.split(/[:/#@]/)[0] ?? '');
  const matches = logs
    .map((log) => ({
      file: path.relative(relativeTo, log.file),
      lines: log.lines.flatMap((line, index) => {
        const found = rankOf(pattern.exec(line)?.[1] ?? '');
        return found === undefined ? [] : [{ line, index, rank: found }];
      }),
    }))
    .filter((log) => log.lines.length > 0);
  const share = Math.max(3, Math.floor(MAX_LINES / Math.max(1, matches.length)));
  let budget = MAX_LINES;
  const components = matches.map((log) => {
    const chosen = [...log.lines].sort((a, b) => a.rank - b.rank || a.index - b.index).slice(0, Math.min(share, budget));
    budget -= chosen.length;
    // Shown in the log's own order, so the excerpt reads as the component wrote it.
    const lines = chosen.sort((a, b) => a.index - b.index).map(({ line }) => (line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}…` : line));
    return { file: log.file, matched: log.lines.length, lines };
  });
  return { joinedBy, ids: ids.length, components };
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

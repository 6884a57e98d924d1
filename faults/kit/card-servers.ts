import type { Operation, Recorded } from '../../harness/fault-api.ts';
import { cardReadsOf, cardWrites, recordPairs, recordReads, type CardRead } from './cards.ts';
import { durability, type DurabilityReport } from './checkers/durability.ts';
import { reconcile } from './checkers/reconciliation.ts';
import { requestSummary } from './evidence.ts';

/** One defect a judge found, on the history's clock, with the records behind it. */
export interface Finding {
  atMs: number;
  summary: string;
  details: Record<string, unknown>;
}

export interface CardServerIntegrity {
  atServers: Array<{ cardServer: string; records: Map<string, CardRead>; report: DurabilityReport }>;
  /** Cards the first two card servers both answered. */
  compared: number;
  findings: Finding[];
}

/**
 * The card writes of `work` against the records every card server answered afterwards (`cardRecord`
 * reads): durability at each (an acknowledged pre-issue or issue read back missing) and
 * reconciliation of the first two (different records for one card), as findings.
 */
export function cardServerIntegrity(history: Recorded, cardServers: readonly string[], work: readonly Operation[]): CardServerIntegrity {
  const { writes, acknowledgedBy } = cardWrites(work);
  const atServers = cardServers.map((cardServer) => {
    const records = recordReads(history, cardServer);
    return { cardServer, records, report: durability(writes, cardReadsOf(records)) };
  });
  const findings: Finding[] = [];
  for (const { cardServer, records, report } of atServers) {
    if (report.lost.length === 0) continue;
    const readOf = (key: string) => records.get(key.split(' ')[0] as string);
    findings.push({
      atMs: Math.min(...report.lost.map((key) => readOf(key)?.atMs ?? 0)),
      summary: `${cardServer}: ${report.lost.length} of ${report.acknowledged} acknowledged writes read back missing (${report.lost.slice(0, 3).join(', ')})`,
      details: { cardServer, durability: report, lost: report.lost.slice(0, 20).map((key) => ({ key, read: readOf(key), acknowledgedBy: acknowledgedBy.get(key) && requestSummary(acknowledgedBy.get(key) as Operation) })) },
    });
  }
  const [left, right] = atServers;
  const agreement = reconcile(left && right ? recordPairs(left.records, right.records) : [], (a, b) => a.state === b.state && a.digest === b.digest);
  if (!agreement.ok && left && right) {
    findings.push({
      atMs: Math.min(...agreement.disagreements.map((pair) => Math.max(pair.left.atMs, pair.right.atMs))),
      summary: `${left.cardServer} and ${right.cardServer} answer different records for ${agreement.disagreements.length} of ${agreement.compared} cards (${agreement.disagreements.slice(0, 2).map((pair) => `${pair.key}: ${pair.left.state} / ${pair.right.state}`).join('; ')})`,
      details: { disagreements: agreement.disagreements.slice(0, 20) },
    });
  }
  return { atServers, compared: agreement.compared, findings };
}

import { CATALOG } from '../../faults/catalog.ts';
import { FAULT_IDS } from '../../faults/registry.ts';
import { loadSuite, SUITE_IDS } from '../suites/registry.ts';
import { allTargets } from '../target/load.ts';

export interface FaultRow {
  id: string;
  title: string;
  viewpoints: readonly string[];
  /** A mean test module exists (`ijiwaru run --faults ID`). */
  meanTest: boolean;
  /** Suites whose results judge it (`ijiwaru run --suite NAME`). */
  suites: string[];
}

/** `ijiwaru faults`: the catalog with what exercises each entry. */
export async function faultRows(): Promise<FaultRow[]> {
  const suites = await Promise.all(SUITE_IDS.map(async (id) => ({ id, judges: (await loadSuite(id))?.judges ?? [] })));
  return [...CATALOG.values()].map((entry) => ({
    id: entry.id,
    title: entry.title,
    viewpoints: entry.viewpoints,
    meanTest: FAULT_IDS.includes(entry.id),
    suites: suites.filter((suite) => suite.judges.includes(entry.id)).map((suite) => suite.id),
  }));
}

export interface TargetRow {
  target: string;
  variant: string;
  description: string;
}

/** `ijiwaru targets`: every variant of every known target, with what it has fixed. */
export async function targetRows(): Promise<TargetRow[]> {
  return (await allTargets()).flatMap((definition) =>
    definition.variants.map((variant) => ({ target: definition.name, variant, description: definition.descriptions[variant] ?? '' })),
  );
}

/** Plain aligned columns, a header line first; the last column is never padded. */
export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd((widths[column] ?? 0) + 2))).join('').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

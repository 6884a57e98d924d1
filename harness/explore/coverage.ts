import type { ExploreSummary } from '../report/report.ts';
import type { Verdict } from '../verdict.ts';
import { cellKey, type Space } from './space.ts';

/** The worst verdict each cell of the space showed, by `cellKey`. */
export type CellVerdicts = Map<string, Verdict>;

/** The coverage matrix: one row per fault of the space, one column per operation. */
export function coverageOf(space: Space, verdicts: CellVerdicts): Pick<ExploreSummary, 'ops' | 'matrix' | 'coverage'> {
  const matrix = space.faults.map((fault) => {
    const cells: Record<string, Verdict> = {};
    for (const op of space.ops) {
      const verdict = verdicts.get(cellKey({ fault, op }));
      if (verdict !== undefined) cells[op] = verdict;
    }
    return fault.kind === 'link' ? { on: fault.link, mode: fault.mode, cells } : { on: fault.component, mode: fault.action, cells };
  });
  const cells = space.faults.length * space.ops.length;
  const covered = matrix.reduce((sum, row) => sum + Object.keys(row.cells).length, 0);
  return { ops: [...space.ops], matrix, coverage: { cells, covered } };
}

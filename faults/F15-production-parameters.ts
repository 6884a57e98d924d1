import type { SystemView } from '../harness/fault-api.ts';
import { catalogEntry } from './catalog.ts';
import type { Judgement, Verdict } from './types.ts';

/**
 * F15: the test environment's parameters differ from production's, and the difference hides a
 * fault. The runner runs the other selected faults under the test sheet (their own results) and
 * again, each on a fresh system, under production's; this judge compares the two verdicts of each
 * fault, from the two judgements and views alone.
 */
export const F15 = { id: 'F15', ...catalogEntry('F15') } as const;

/** One fault judged under both sheets: its verdict and the parameters its system was given. */
export interface SheetSide {
  verdict: Verdict;
  summary: string;
  detectedAfterMs: number | null;
  view: Pick<SystemView, 'parameters' | 'defaults'>;
}

export interface SheetPair {
  fault: string;
  test: SheetSide;
  production: SheetSide;
}

export interface ParameterDifference {
  parameter: string;
  test: string;
  production: string;
}

/** What the report lists beside the verdict: every parameter and every verdict compared. */
export interface SheetComparison extends Judgement {
  measurements: { parametersThatDiffer: ParameterDifference[]; verdicts: Array<{ fault: string; test: Verdict; production: Verdict; differs: boolean }> };
}

const JUDGED: readonly Verdict[] = ['finding', 'pass', 'inconclusive'];

/** A parameter a side leaves unset reads as the contract's default (or "unset" where none is declared). */
function effective(view: SheetSide['view']): Record<string, string> {
  return { ...view.defaults, ...view.parameters };
}

/**
 * The parameters whose effective values differ between the two sides of every pair (the same
 * sheet reaches every fault, so a fault's own operational settings, alike on both sides, drop out).
 */
export function parameterDifferences(pairs: readonly SheetPair[]): ParameterDifference[] {
  const differences = new Map<string, ParameterDifference>();
  for (const { test, production } of pairs) {
    const [a, b] = [effective(test.view), effective(production.view)];
    for (const parameter of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (a[parameter] !== b[parameter] && parameter !== 'TIME_SCALE') {
        differences.set(parameter, { parameter, test: a[parameter] ?? 'unset', production: b[parameter] ?? 'unset' });
      }
    }
  }
  return [...differences.values()].sort((x, y) => x.parameter.localeCompare(y.parameter));
}

const listed = (differences: readonly ParameterDifference[]) =>
  differences.length === 0 ? 'no parameter differs' : differences.map((d) => `${d.parameter} ${d.test} in test, ${d.production} in production`).join('; ');

/**
 * A finding is a fault judged differently under the two sheets: a finding hidden by the test
 * environment (or one only the test environment shows), or a path one sheet cannot exercise.
 * A side that could not be judged (error, interrupted) leaves its pair uncompared.
 */
export function judgeF15(pairs: readonly SheetPair[]): SheetComparison {
  const differences = parameterDifferences(pairs);
  const verdicts = pairs.map(({ fault, test, production }) => ({ fault, test: test.verdict, production: production.verdict, differs: test.verdict !== production.verdict }));
  const measurements = { parametersThatDiffer: differences, verdicts };
  const compared = pairs.filter((pair) => JUDGED.includes(pair.test.verdict) && JUDGED.includes(pair.production.verdict));
  const differing = compared.filter((pair) => pair.test.verdict !== pair.production.verdict);
  const first = differing[0];
  if (first) {
    const how = differing.map(({ fault, test, production }) => `${fault} ${test.verdict} under the test sheet, ${production.verdict} under production's`).join('; ');
    const hidden = differing.some((pair) => pair.production.verdict === 'finding') ? 'the test environment hides a fault' : 'the two environments do not test the same thing';
    return {
      verdict: 'finding',
      detectedAfterMs: first.production.detectedAfterMs ?? first.test.detectedAfterMs,
      summary: `${how}: ${hidden} (${listed(differences)})`,
      details: { why: Object.fromEntries(differing.map(({ fault, test, production }) => [fault, { test: test.summary, production: production.summary }])) },
      measurements,
    };
  }
  const uncompared = pairs.filter((pair) => !compared.includes(pair));
  if (pairs.length === 0 || uncompared.length > 0) {
    const which = uncompared.map(({ fault, test, production }) => `${fault} (${test.verdict} / ${production.verdict})`).join(', ');
    return { verdict: 'inconclusive', detectedAfterMs: null, summary: pairs.length === 0 ? 'no fault was run under both sheets' : `not judged under both sheets: ${which}`, measurements };
  }
  return {
    verdict: 'pass',
    detectedAfterMs: null,
    summary: `${pairs.map(({ fault, test }) => `${fault} ${test.verdict}`).join(', ')} under both the test sheet and production's (${listed(differences)})`,
    measurements,
  };
}

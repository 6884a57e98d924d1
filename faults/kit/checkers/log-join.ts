import type { Operation, Recorded } from '../../../harness/fault-api.ts';

/** The field every line of one request carries where a target correlates its logs (CONTRACT.md 1). */
export const CORRELATION_FIELD = 'correlationId';

/** One component's log as the history kept it: its parsed lines, and whether older ones were cut. */
export interface KeptLog {
  component: string;
  lines: Array<Record<string, unknown>>;
  /** The log was longer than the history keeps, so its start is missing. */
  cut: boolean;
}

export interface Trace {
  request: number;
  requestId: string;
  /** Components with a line that names the request in any field. */
  passed: string[];
  /** Of those, the ones where no line carries the request in the correlation field. */
  unjoined: string[];
  /** An error-stream line joined to the request says why it failed. */
  explained: boolean;
}

export interface LogJoinReport {
  traces: Trace[];
  traceable: number;
  /** Share of failed requests fully traceable (1 when none failed). */
  coverage: number;
  /** Components whose kept log does not reach back to the run's start. */
  cut: string[];
}

/** The last log each component gave (its `logs` query), parsed; lines that are not JSON are skipped. */
export function keptLogs(history: Recorded): KeptLog[] {
  const last = new Map<string, { tail: string[]; lines: number }>();
  for (const query of history.queries) {
    if (query.query === 'logs' && query.result !== undefined) last.set(query.target, query.result as { tail: string[]; lines: number });
  }
  return [...last].map(([component, result]) => ({
    component,
    cut: result.lines > result.tail.length,
    lines: result.tail.flatMap((line) => {
      try {
        const parsed: unknown = JSON.parse(line);
        return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? [parsed as Record<string, unknown>] : [];
      } catch {
        return [];
      }
    }),
  }));
}

const names = (line: Record<string, unknown>, id: string) => Object.values(line).some((value) => typeof value === 'string' && value.includes(id));
// A target may derive its correlation ID from the terminal's request ID (CONTRACT.md 1).
const joins = (line: Record<string, unknown>, id: string) => {
  const value = line[CORRELATION_FIELD];
  return typeof value === 'string' && value.includes(id);
};

/**
 * Log join (N2): every failed request is traceable when, on every component whose log names it,
 * some line carries it in the correlation field, and an error-stream line so joined says why it
 * failed. `entry` names the component each request entered by (its CS), which passed it even when
 * no line there names it. Pure over the history's kept logs.
 */
export function logJoin(failedRequests: readonly Operation[], logs: readonly KeptLog[], entry: (request: Operation) => string | undefined): LogJoinReport {
  const traces = failedRequests.flatMap((request): Trace[] => {
    const requestId = request.data?.['requestId'];
    if (typeof requestId !== 'string' || requestId === '') return [];
    const first = entry(request);
    const passed = logs.filter((log) => log.component === first || log.lines.some((line) => names(line, requestId))).map((log) => log.component);
    const unjoined = passed.filter((component) => !logs.find((log) => log.component === component)?.lines.some((line) => joins(line, requestId)));
    const explained = logs.some((log) => log.lines.some((line) => line['stream'] === 'error' && joins(line, requestId)));
    return [{ request: request.id, requestId, passed, unjoined, explained }];
  });
  const traceable = traces.filter((trace) => trace.unjoined.length === 0 && trace.explained).length;
  return {
    traces,
    traceable,
    coverage: traces.length === 0 ? 1 : traceable / traces.length,
    cut: logs.filter((log) => log.cut).map((log) => log.component),
  };
}

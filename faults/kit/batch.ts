import type { Component, Endpoint, HarnessClient, Recorded, Reply, SystemView } from '../../harness/fault-api.ts';
import { commandsRun } from './evidence.ts';

/**
 * A municipality's batch transfer as an operator drives it (CONTRACT.md 2.2: `batch-start`,
 * `batch-status` inside the relay) and as the card server's oracle queries show its data.
 */
export interface BatchConsole {
  status: string;
  sent: number;
  acknowledged: number;
  records: number;
}

/** The target's batch commands, or why there are none. */
export function batchCommands(view: SystemView): { start: string[]; status: string[] } | undefined {
  const { relayBatchStart: start, relayBatchStatus: status } = view.operator;
  return start && status ? { start, status } : undefined;
}

/** The command's exit status; undefined when it could not run at all (the relay down or paused). */
export async function startBatch(relay: Component, start: readonly string[], batchId: string, municipality: string, records: number): Promise<number | undefined> {
  return (await relay.exec([...start, batchId, municipality, String(records)]).catch(() => undefined))?.exitCode;
}

/** What the console shows now; undefined when the command failed, could not run, or printed no status. */
export async function readConsole(relay: Component, status: readonly string[], batchId: string): Promise<BatchConsole | undefined> {
  const result = await relay.exec([...status, batchId]).catch(() => undefined);
  return result?.exitCode === 0 ? parseConsole(result.output) : undefined;
}

function parseConsole(output: string): BatchConsole | undefined {
  const line = output.split('\n').findLast((text) => text.trim().startsWith('{'));
  try {
    const parsed = JSON.parse(line ?? '') as Partial<BatchConsole>;
    return typeof parsed.status === 'string' ? { status: parsed.status, sent: Number(parsed.sent), acknowledged: Number(parsed.acknowledged), records: Number(parsed.records) } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The console as the history last recorded it: the output of the last status command for the
 * batch; undefined when that one failed (a relay restarted since knows nothing of it).
 */
export function lastConsole(history: Recorded, status: readonly string[], batchId: string): (BatchConsole & { atMs: number }) | undefined {
  const last = commandsRun(history, [...status, batchId]).at(-1);
  const console = last?.exitCode === 0 ? parseConsole(String(last.detail?.['output'] ?? '')) : undefined;
  return console && last ? { ...console, atMs: last.endMs } : undefined;
}

/** A "registered" notice as the card server lists it. */
export interface Notice {
  batchId: string;
  count: number;
}

/** What the operator's console last said of a batch against what the card server holds and the notice the municipality got. */
export interface BatchReading {
  batchId: string;
  console: BatchConsole & { atMs: number };
  /** The batch's records at the card server, by its own query. */
  received: number;
  notice: Notice | undefined;
  /** When the last of the three was read. */
  atMs: number;
}

/**
 * A batch read back from the history: the console's last status, then the card server's count
 * and the municipality's notices read after it; undefined unless all three were read in that order.
 */
export function readBack(history: Recorded, status: readonly string[], batchId: string, municipality: string): BatchReading | undefined {
  const console = lastConsole(history, status, batchId);
  const received = history.requests.filter((operation) => operation.op === 'query-batch' && operation.data?.['batchId'] === batchId && operation.outcome === 'ok').at(-1);
  const noticed = history.requests.filter((operation) => operation.op === 'query-notices' && operation.data?.['municipality'] === municipality && operation.outcome === 'ok').at(-1);
  if (!console || !received || !noticed || noticed.endMs < received.startMs) return undefined;
  const notice = ((noticed.body?.['notices'] ?? []) as Notice[]).find((entry) => entry.batchId === batchId);
  return { batchId, console, received: Number(received.body?.['records'] ?? 0), notice, atMs: Math.max(console.atMs, noticed.endMs) };
}

/**
 * How the console and the notice misreport the data, in words (none: they told the truth):
 * "finished" while records are missing or no notice came, more acknowledged than the card server
 * holds, a notice for records that never arrived.
 */
export function misreports({ console, received, notice }: BatchReading): string[] {
  return [
    ...(console.status === 'finished' && received < console.records ? [`console "finished" with ${received} of ${console.records} records at the card server`] : []),
    ...(console.status === 'finished' && !notice ? ['console "finished" but no "registered" notice reached the municipality'] : []),
    ...(console.acknowledged > received ? [`console counts ${console.acknowledged} acknowledged, the card server holds ${received}`] : []),
    ...(notice && received < notice.count ? [`"registered" notice for ${notice.count} records, ${received} arrived`] : []),
  ];
}

/** The "registered" notices a municipality received (`GET /notices?municipality=M` at the card server). */
export function notices(client: HarnessClient, cardServer: string, endpoint: () => Endpoint, municipality: string, signal?: AbortSignal): Promise<Reply> {
  return client.send(
    { op: 'query-notices', target: cardServer, endpoint, method: 'GET', path: `/notices?municipality=${encodeURIComponent(municipality)}`, data: { role: 'probe', municipality }, keep: ['notices'] },
    signal,
  );
}

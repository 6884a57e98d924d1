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

export async function startBatch(relay: Component, start: readonly string[], batchId: string, municipality: string, records: number): Promise<number> {
  return (await relay.exec([...start, batchId, municipality, String(records)])).exitCode;
}

/** What the console shows now; undefined when the command failed or printed no status. */
export async function readConsole(relay: Component, status: readonly string[], batchId: string): Promise<BatchConsole | undefined> {
  const result = await relay.exec([...status, batchId]);
  return result.exitCode === 0 ? parseConsole(result.output) : undefined;
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

/** The console as the history last recorded it (the output of the last status command for the batch). */
export function lastConsole(history: Recorded, status: readonly string[], batchId: string): (BatchConsole & { atMs: number }) | undefined {
  const last = commandsRun(history, [...status, batchId]).filter((command) => command.exitCode === 0).at(-1);
  const console = last && parseConsole(String(last.detail?.['output'] ?? ''));
  return console && last ? { ...console, atMs: last.endMs } : undefined;
}

/** The "registered" notices a municipality received (`GET /notices?municipality=M` at the card server). */
export function notices(client: HarnessClient, cardServer: string, endpoint: () => Endpoint, municipality: string, signal?: AbortSignal): Promise<Reply> {
  return client.send(
    { op: 'query-notices', target: cardServer, endpoint, method: 'GET', path: `/notices?municipality=${encodeURIComponent(municipality)}`, data: { role: 'probe', municipality }, keep: ['notices'] },
    signal,
  );
}

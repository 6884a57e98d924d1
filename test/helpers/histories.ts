// Hand-built histories for the judges' unit tests: a judge sees nothing else, so a history is
// all a test needs to show it failing and passing.
import type { Injection, Operation, Query, Recorded } from '../../harness/history/history.ts';
import type { SystemView } from '../../harness/target/types.ts';

let nextId = 1;

export function request(fields: Partial<Operation> & Pick<Operation, 'target' | 'outcome'>): Operation {
  return { type: 'request', id: nextId++, client: 'c', op: 'x', startMs: 0, endMs: 10, ...fields };
}

export function state(target: string, atMs: number, value: string, exitCode: number | null = null): Query {
  return { type: 'query', atMs, endMs: atMs, target, query: 'status', result: { state: value, exitCode } };
}

export function exec(target: string, atMs: number, argv: string[], exitCode = 0): Injection {
  return { type: 'injection', atMs, endMs: atMs + 300, time: new Date(0).toISOString(), target, action: 'exec', detail: { argv, exitCode, output: '{}' } };
}

export function toxic(target: string, atMs: number, latency: number): Injection {
  return { type: 'injection', atMs, endMs: atMs + 1, time: new Date(0).toISOString(), target, action: 'toxic-add', detail: { type: 'latency', attributes: { latency } } };
}

/** A read of `target`'s log (its last lines kept); `written` more than the lines given means the log was cut. */
export function logs(target: string, lines: Array<Record<string, unknown>>, written = lines.length, atMs = 5000): Query {
  return { type: 'query', atMs, endMs: atMs + 10, target, query: 'logs', result: { events: {}, lines: written, tail: lines.map((line) => JSON.stringify(line)) } };
}

export function history(parts: Partial<Recorded>): Recorded {
  return { requests: [], injections: [], queries: [], notes: [], ...parts };
}

/** A view of two relays and one CS, as a reference build at time scale 60 declares it. */
export const VIEW: SystemView = {
  municipalities: [{ cs: 'cs-1', terminalLink: 'terminal-1', csToDistributorLink: 'cs-1-distributor' }],
  relays: [
    { name: 'relay-1', distributorLink: 'distributor-relay-1', cardServerLink: 'relay-1-card-server-1' },
    { name: 'relay-2', distributorLink: 'distributor-relay-2', cardServerLink: 'relay-2-card-server-1' },
  ],
  cardServers: ['card-server-1'],
  ports: { cs: 8100, relay: 8300, cardServer: 8400 },
  timing: { relayTimeoutMs: 500, csSearchTimeoutMs: 166, csRequestTimeoutMs: 1000, csBlockMs: 1000 },
  operator: { relayPollNow: ['node', 'relay-ctl.ts', 'poll-now'], relayStatus: ['node', 'relay-ctl.ts', 'status'] },
  parameters: {},
};

/**
 * What a fault module may use of the harness (faults/README.md): the history it writes, the
 * clients and handles it acts through, the view of the system, the seed. faults/ imports nothing
 * else from harness/ (an ESLint rule keeps it so), so the runner, reports and runtimes can change
 * without touching a fault.
 */
export { envelope } from './contract/envelope.ts';
export type { ClientTimeouts, HarnessClient, Reply } from './history/client.ts';
export type { History, Injection, Note, Operation, Query, Recorded } from './history/history.ts';
export type { Component, Endpoint } from './runtime/types.ts';
export type { Rng } from './seed.ts';
export type { SystemView } from './target/types.ts';
export { latencyOf, percentile } from './load/analysis.ts';
export type { AppliedToxic, LinkHandle } from './topology/link.ts';
export type { StartedTopology } from './topology/topology.ts';
export type { Judgement, Verdict } from './verdict.ts';

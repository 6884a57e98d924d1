import { envelope } from '../harness/contract/envelope.ts';
import type { HarnessClient } from '../harness/history/client.ts';
import type { Operation } from '../harness/history/history.ts';
import type { AppliedToxic } from '../harness/topology/link.ts';
import { catalogEntry } from './catalog.ts';
import type { Fault, FaultContext, FaultResult } from './types.ts';

/**
 * F2, the timeout-versus-reset race (INCIDENTS.md, "event 2"). With business traffic flowing
 * through every relay, the latency of each relay → card-server link is stepped so that a
 * message's time through the relay sweeps across the relay's declared timeout. Where relaying
 * completes at the very moment the timer fires, a relay that loses the reset frees a work area
 * it never allocated on the next message and terminates abnormally. 504s are the timeout path
 * working and are fine; a relay that exits non-zero, or in-flight requests that die with resets
 * or closed connections, are the finding.
 */

/** One latency setting on one relay's card-server link, in ms since the injection began. */
export interface F2Step {
  relay: string;
  /** coarse: finding where answers turn into 504s; sweep: the dense pass across that point. */
  phase: 'coarse' | 'sweep';
  index: number;
  latencyMs: number;
  jitterMs: number;
  fromMs: number;
  toMs: number | null;
}

export interface F2StatusSample {
  relay: string;
  atMs: number;
  state: string;
  exitCode: number | null;
}

/** One message sent to a relay, times in ms since the injection began. */
export interface F2Message {
  relay: string;
  requestId: string;
  startMs: number;
  endMs: number;
  outcome: string;
  status?: number;
  code?: string;
}

export interface F2Observations {
  /** The relay's declared timeout, real ms. */
  timeoutMs: number;
  relays: string[];
  /** Median round trip through each relay without added latency; null if none answered. */
  baselineMs: Record<string, number | null>;
  loopsPerRelay: number;
  coarseStepMs: number;
  /** Per relay, the added latency at which half the answers were 504s (null if never reached). */
  crossingMs: Record<string, number | null>;
  stepMs: number;
  jitterMs: number;
  /** Added latency range planned per relay (inclusive), ms. */
  plannedLatencyMs: Record<string, { from: number; to: number; steps: number }>;
  steps: F2Step[];
  statuses: F2StatusSample[];
  messages: F2Message[];
  /** The last lines of each relay's log, read after the sweep. */
  lastLogLines: Record<string, string[]>;
  /** Every planned step ran to its end. */
  sweepCompleted: boolean;
}

export interface F2Judgement {
  verdict: 'finding' | 'pass' | 'inconclusive';
  detectedAfterMs: number | null;
  summary: string;
  /** What decided a finding: the relay, how it was seen, the latency setting then, the messages in flight. */
  trigger?: {
    relay: string;
    seenBy: 'exit-status' | 'reset-or-closed';
    atMs: number;
    exitCode: number | null;
    step: F2Step | null;
    inFlight: F2Message[];
  };
}

const DYING = new Set(['reset', 'closed']);

function stepAt(steps: readonly F2Step[], relay: string, atMs: number): F2Step | null {
  let found: F2Step | null = null;
  for (const step of steps) if (step.relay === relay && step.fromMs <= atMs) found = step;
  return found;
}

/** The verdict, from the observations alone. */
export function judgeF2(observations: F2Observations): F2Judgement {
  const { messages, statuses, steps, timeoutMs } = observations;
  const decisive: Array<{ relay: string; atMs: number; seenBy: 'exit-status' | 'reset-or-closed'; exitCode: number | null }> = [];
  for (const sample of statuses) {
    if (sample.state === 'exited' && sample.exitCode !== null && sample.exitCode !== 0) {
      decisive.push({ relay: sample.relay, atMs: sample.atMs, seenBy: 'exit-status', exitCode: sample.exitCode });
    }
  }
  for (const message of messages) {
    if (DYING.has(message.outcome)) decisive.push({ relay: message.relay, atMs: message.endMs, seenBy: 'reset-or-closed', exitCode: null });
  }
  const total = messages.length;
  const timeouts = messages.filter((message) => message.status === 504).length;
  const ok = messages.filter((message) => message.outcome === 'ok').length;
  const baselines = Object.values(observations.baselineMs).filter((value): value is number => value !== null);
  const baselineText = baselines.length > 0 ? `${Math.round(Math.min(...baselines))}–${Math.round(Math.max(...baselines))} ms` : 'n/a';

  if (decisive.length > 0) {
    decisive.sort((a, b) => a.atMs - b.atMs);
    const first = decisive[0]!;
    const relay = first.relay;
    const exit = statuses.find((sample) => sample.relay === relay && sample.state === 'exited' && sample.exitCode !== null && sample.exitCode !== 0);
    const dying = messages.filter((message) => message.relay === relay && DYING.has(message.outcome));
    const crashAt = dying.length > 0 ? Math.min(...dying.map((message) => message.endMs)) : first.atMs;
    const inFlight =
      dying.length > 0
        ? dying
        : messages.filter((message) => message.relay === relay && message.startMs <= crashAt && message.endMs >= crashAt && message.outcome !== 'ok');
    const step = stepAt(steps, relay, crashAt);
    const crossing = observations.crossingMs[relay] ?? null;
    const setting = step
      ? `added latency ${step.latencyMs}±${step.jitterMs} ms (${step.phase} step ${step.index}; ${crossing !== null ? `half the answers were 504 from ${crossing} ms, ` : ''}timeout ${Math.round(timeoutMs)} ms)`
      : 'before any latency step';
    const how = exit ? `exited with status ${exit.exitCode}` : 'dropped its connections';
    return {
      verdict: 'finding',
      detectedAfterMs: first.atMs,
      summary: `${relay} ${how} at ${setting}; ${dying.length} in-flight request(s) reset/closed, after ${total} messages (${timeouts} timeouts 504)`,
      trigger: { relay, seenBy: first.seenBy, atMs: first.atMs, exitCode: exit?.exitCode ?? null, step, inFlight },
    };
  }

  if (total === 0 || ok === 0 || baselines.length < observations.relays.length) {
    return {
      verdict: 'inconclusive',
      detectedAfterMs: null,
      summary: `no traffic got through the relays (${total} messages, ${ok} ok, baseline ${baselineText}); the race was not exercised`,
    };
  }
  const sweep = steps.filter((step) => step.phase === 'sweep');
  const latencies = sweep.map((step) => step.latencyMs);
  const range = latencies.length > 0 ? `${Math.min(...latencies)}–${Math.max(...latencies)} ms` : 'none';
  if (!observations.sweepCompleted) {
    return {
      verdict: 'inconclusive',
      detectedAfterMs: null,
      summary: `sweep stopped early after ${sweep.length} latency step(s) (${range}); relays alive, ${total} messages, ${timeouts} timeouts 504`,
    };
  }
  return {
    verdict: 'pass',
    detectedAfterMs: null,
    summary: `${observations.relays.length} relays alive through ${sweep.length} link latency settings (added ${range}, baseline ${baselineText}, timeout ${Math.round(timeoutMs)} ms): ${total} messages, ${ok} ok, ${timeouts} timeouts 504, 0 resets`,
  };
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? null;
}

const BASELINE_LOOPS = 3;
const BASELINE_MS = 1000;
const MAX_COARSE_STEPS = 12;
const SWEEP_MS = 12_000;
const WATCH_EVERY_MS = 200;
const LOG_LINES = 40;

async function run(context: FaultContext): Promise<FaultResult> {
  const { topology, view, rng, history, signal } = context;
  const timeoutMs = view.timing.relayTimeoutMs;
  const relays = view.relays.map((relay) => relay.name);
  // History times and the injection's clock differ by the moment each began.
  const offset = context.elapsedMs() - history.now();
  const toElapsed = (historyMs: number) => Math.round((historyMs + offset) * 1000) / 1000;

  const stop = new AbortController();
  const halted = AbortSignal.any([signal, stop.signal]);
  const clients = new Map<string, HarnessClient>(
    relays.map((name) => [name, context.client(`f2-${name}`, { headersMs: Math.max(5000, timeoutMs * 4), bodyMs: Math.max(5000, timeoutMs * 4) })]),
  );
  let counter = 0;
  const send = (relay: string, phase: string): Promise<Operation> => {
    const requestId = `f2-${relay}-${++counter}`;
    const client = clients.get(relay)!;
    return client
      .send({
        op: 'search',
        target: relay,
        endpoint: () => topology.component(relay).endpoint(view.ports.relay),
        path: '/message',
        body: envelope(requestId, 'business', 'search', { residentCode: 'R0001' }),
        data: { requestId, phase },
      })
      .then((reply) => reply.operation);
  };
  /** `loops` concurrent senders to `relay` until `until` aborts. */
  const traffic = (relay: string, loops: number, phase: string, until: AbortSignal): Promise<void> =>
    Promise.all(
      Array.from({ length: loops }, async () => {
        while (!until.aborted) {
          const operation = await send(relay, phase);
          // A refused or dead relay answers at once: do not spin on it.
          if (operation.outcome === 'refused' || DYING.has(operation.outcome)) await sleep(20, until);
        }
      }),
    ).then(() => undefined);

  // 1. Baseline: the round trip through each relay with nothing added, a few senders each.
  const baselineStop = AbortSignal.any([halted, AbortSignal.timeout(BASELINE_MS)]);
  await Promise.all(relays.map((relay) => traffic(relay, BASELINE_LOOPS, 'baseline', baselineStop)));
  const baselineMs: Record<string, number | null> = {};
  for (const relay of relays) {
    baselineMs[relay] = median(
      history.operations
        .filter((operation) => operation.target === relay && operation.outcome === 'ok' && operation.data?.phase === 'baseline')
        .map((operation) => operation.endMs - operation.startMs),
    );
  }

  // 2. The plan, from the seed.
  const loopsPerRelay = rng.int(40, 50);
  const coarseStepMs = rng.int(14, 20);
  const stepMs = rng.int(2, 3);
  const jitterMs = rng.int(2, 4);
  const below = rng.int(12, 16);
  const above = rng.int(10, 14);
  const coarseDurationMs = Math.max(600, Math.round(timeoutMs * 1.4));

  const steps: F2Step[] = [];
  const statuses: F2StatusSample[] = [];
  let found = false;

  // 3. The watcher: each relay's status, and any request that died with its connection.
  let seenMessages = 0;
  const watcher = (async () => {
    while (!halted.aborted) {
      const samples = await Promise.all(
        relays.map(async (relay) => {
          const status = await topology.component(relay).status();
          return { relay, atMs: Math.round(context.elapsedMs()), state: status.state, exitCode: status.exitCode };
        }),
      );
      statuses.push(...samples);
      if (samples.some((sample) => sample.state === 'exited' && sample.exitCode !== 0)) found = true;
      const operations = history.operations;
      for (; seenMessages < operations.length; seenMessages++) {
        const operation = operations[seenMessages]!;
        if (relays.includes(operation.target) && DYING.has(operation.outcome)) found = true;
      }
      if (found) {
        stop.abort();
        return;
      }
      await sleep(WATCH_EVERY_MS, halted);
    }
  })();

  const applied = new Map<string, AppliedToxic>();
  const setLatency = async (relay: string, latency: number, phase: F2Step['phase'], index: number): Promise<void> => {
    const link = topology.link(view.relays.find((candidate) => candidate.name === relay)!.cardServerLink);
    // Replace the setting (a gap of a few ms without latency is harmless; two stacked would not be).
    await applied.get(relay)?.remove();
    applied.set(relay, await link.latency({ latency, jitter: jitterMs }));
    const now = Math.round(context.elapsedMs());
    const last = steps.findLast((step) => step.relay === relay);
    if (last) last.toMs = now;
    steps.push({ relay, phase, index, latencyMs: latency, jitterMs, fromMs: now, toMs: null });
  };
  /** The share of 504s among the answers from `relay` that ended after `sinceMs` (injection clock). */
  const timeoutShare = (relay: string, sinceMs: number): { share: number; count: number } => {
    const answered = history.operations.filter(
      (operation) =>
        operation.target === relay && toElapsed(operation.endMs) >= sinceMs && (operation.outcome === 'ok' || operation.status === 504),
    );
    const timeouts = answered.filter((operation) => operation.status === 504).length;
    return { share: answered.length > 0 ? timeouts / answered.length : 0, count: answered.length };
  };

  // 4. With traffic on every relay throughout: find where each relay's answers turn into 504s
  // (the load shifts it from the quiet baseline), then sweep densely across that point.
  const sweepTraffic = Promise.all(relays.map((relay) => traffic(relay, loopsPerRelay, 'sweep', halted)));
  const crossingMs: Record<string, number | null> = {};
  const plannedLatencyMs: F2Observations['plannedLatencyMs'] = {};
  let sweepCompleted = false;
  try {
    const latency = new Map(relays.map((relay) => [relay, Math.max(0, Math.round(timeoutMs - (baselineMs[relay] ?? 0) - 120))]));
    for (let index = 0; index < MAX_COARSE_STEPS && !halted.aborted; index++) {
      const open = relays.filter((relay) => crossingMs[relay] === undefined);
      if (open.length === 0) break;
      await Promise.all(open.map((relay) => setLatency(relay, latency.get(relay)!, 'coarse', index)));
      const from = context.elapsedMs();
      await sleep(coarseDurationMs, halted);
      for (const relay of open) {
        const { share, count } = timeoutShare(relay, from + coarseDurationMs / 2);
        if (count >= 5 && share >= 0.5) crossingMs[relay] = latency.get(relay)!;
        else latency.set(relay, latency.get(relay)! + coarseStepMs);
      }
    }
    const plans = new Map<string, number[]>();
    relays.forEach((relay, index) => {
      const crossing = crossingMs[relay] ?? latency.get(relay)!;
      crossingMs[relay] ??= null;
      // The 50 % point lies within one coarse step below the crossing; relays interleave within
      // one fine step so that together they cover the window twice as densely.
      const offset = (stepMs * index) / relays.length + rng.next() * 0.5;
      const values: number[] = [];
      for (let value = crossing - coarseStepMs - below + offset; value <= crossing + above; value += stepMs) {
        values.push(Math.max(0, Math.round(value)));
      }
      plans.set(relay, values);
      plannedLatencyMs[relay] = { from: values[0] ?? 0, to: values.at(-1) ?? 0, steps: values.length };
    });
    const stepCount = Math.max(...[...plans.values()].map((values) => values.length));
    const stepDurationMs = Math.max(Math.round(SWEEP_MS / Math.max(1, stepCount)), timeoutMs);
    for (let index = 0; index < stepCount && !halted.aborted; index++) {
      await Promise.all(
        relays.map(async (relay) => {
          const value = plans.get(relay)?.[index];
          if (value !== undefined) await setLatency(relay, value, 'sweep', index);
        }),
      );
      await sleep(stepDurationMs, halted);
    }
    sweepCompleted = !halted.aborted;
  } finally {
    for (const step of steps) step.toMs ??= Math.round(context.elapsedMs());
    stop.abort();
    await watcher;
    // In-flight messages end within about a timeout; a dead relay's end at once.
    await Promise.race([sweepTraffic, sleep(timeoutMs * 3 + 1000, new AbortController().signal)]);
    await Promise.all([...applied.values()].map((toxic) => toxic.remove().catch(() => undefined)));
  }

  // A last look at the relays: an exit that came between two samples.
  for (const relay of relays) {
    const status = await topology.component(relay).status();
    statuses.push({ relay, atMs: Math.round(context.elapsedMs()), state: status.state, exitCode: status.exitCode });
  }
  const lastLogLines: Record<string, string[]> = {};
  for (const relay of relays) {
    const logs = await topology.component(relay).logs().catch((error: Error) => `(logs unavailable: ${error.message})`);
    lastLogLines[relay] = logs.trimEnd().split('\n').slice(-LOG_LINES);
  }

  const messages: F2Message[] = history.operations
    .filter((operation) => relays.includes(operation.target))
    .map((operation) => ({
      relay: operation.target,
      requestId: String(operation.data?.requestId ?? ''),
      startMs: toElapsed(operation.startMs),
      endMs: toElapsed(operation.endMs),
      outcome: operation.outcome,
      ...(operation.status !== undefined && { status: operation.status }),
      ...(operation.code !== undefined && { code: operation.code }),
    }));
  const observations: F2Observations = {
    timeoutMs,
    relays,
    baselineMs,
    loopsPerRelay,
    coarseStepMs,
    crossingMs,
    stepMs,
    jitterMs,
    plannedLatencyMs,
    steps,
    statuses,
    messages,
    lastLogLines,
    sweepCompleted,
  };
  const judgement = judgeF2(observations);
  const evidence = [context.evidence('observations.json', `${JSON.stringify(observations, null, 1)}\n`)];
  if (judgement.trigger) {
    const { relay } = judgement.trigger;
    evidence.push(
      context.evidence(
        'finding.json',
        `${JSON.stringify({ ...judgement.trigger, lastLogLines: lastLogLines[relay] ?? [] }, null, 1)}\n`,
      ),
    );
  }
  return { verdict: judgement.verdict, detectedAfterMs: judgement.detectedAfterMs, summary: judgement.summary, evidence };
}

const fault: Fault = {
  id: 'F2',
  ...catalogEntry('F2'),
  topology: { municipalities: 1, relays: 2, cardServers: 1 },
  limitMs: 45_000,
  run,
};

export default fault;

import type { Judgement, Operation, Recorded, SystemView } from '../harness/fault-api.ts';
import { catalogEntry } from './catalog.ts';
import { crashes } from './kit/checkers/no-crash.ts';
import { failed, failureWords, requestSummary, roleOf, statesOf } from './kit/evidence.ts';
import { lookAt, sampleStatus } from './kit/observe.ts';
import { cardServerMessage } from './kit/terminal.ts';
import type { Fault } from './types.ts';

/** The most messages one burst sends, whatever cap a target declares. */
const MAX_BURST = 400;
/** The contract's cap where a target declares none (CONTRACT.md 2.3). */
const DEFAULT_CAP = 200;
const PROBES = 3;
const STATUS_EVERY_MS = 100;
/** Long enough for a card server that is slow but alive to answer every message of the burst. */
const CLIENT_TIMEOUT_MS = 15_000;

/**
 * F6: as many messages at once as the card server declares it serves at once
 * (CARD_SERVER_MAX_CONNECTIONS), straight to it as the relays together send them, then a few
 * probes. In February 2016 the 512 MB card server could not hold the traffic the CSs concentrated
 * on it: processing slowed until terminals could not connect. Its memory limit is the declared
 * one (the container's, N3); nothing here sets it.
 */
const fault: Fault = {
  id: 'F6',
  ...catalogEntry('F6'),
  topology: { municipalities: 1, relays: 1, cardServers: 1 },
  limitMs: 30_000,
  // Each message is served for 1.65 s, so the burst's messages are all in at once even where a
  // busy machine takes a second to send them (at 10, a CPU hog spread them so that 512 MB held).
  timeScale: 2,
  async run(context) {
    const { topology, view, signal } = context;
    const [cardServer] = view.cardServers;
    const [municipality] = view.municipalities;
    if (!cardServer || !municipality) throw new Error('F6 needs a card server and a CS');
    const cap = Math.min(MAX_BURST, Number(view.parameters['CARD_SERVER_MAX_CONNECTIONS'] ?? DEFAULT_CAP));
    context.history.note('burst', { messages: cap, declaredCap: view.parameters['CARD_SERVER_MAX_CONNECTIONS'] ?? null });
    const client = context.client('relays', { connectMs: CLIENT_TIMEOUT_MS, headersMs: CLIENT_TIMEOUT_MS, bodyMs: CLIENT_TIMEOUT_MS });
    const endpoint = () => topology.component(cardServer).endpoint(view.ports.cardServer);
    const send = (role: string, index: number) =>
      cardServerMessage(client, cardServer, endpoint, { requestId: `f6-${role}-${index}`, municipality: municipality.cs, op: 'search', payload: { residentCode: `R${index}` }, data: { role } }, signal);
    const watching = new AbortController();
    const sampling = sampleStatus(context, [cardServer], STATUS_EVERY_MS, AbortSignal.any([signal, watching.signal]));
    try {
      await Promise.all(Array.from({ length: cap }, (_, index) => send('load', index)));
      for (let index = 0; index < PROBES && !signal.aborted; index++) await send('probe', index);
    } finally {
      watching.abort();
      await sampling;
    }
    await lookAt(context, [cardServer]);
  },
  judge,
};

const latency = (operation: Operation) => operation.endMs - operation.startMs;

/** The most requests of `operations` open at one moment, as the client saw them. */
function peakInFlight(operations: readonly Operation[]): number {
  const edges = operations.flatMap((operation) => [[operation.startMs, 1] as const, [operation.endMs, -1] as const]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let open = 0;
  let peak = 0;
  for (const [, step] of edges) peak = Math.max(peak, (open += step));
  return peak;
}

/** Of the burst, the share that must have been in flight at once for a pass to mean anything. */
const PEAK_SHARE = 0.9;

/**
 * Harm by its effect: the card server died (the engine's own state says whether its memory limit
 * killed it), or work within its declared cap failed or stalled, or it served nothing after the
 * burst. A runtime whose memory limit the kernel does not enforce cannot show the fault: then no
 * pass, only inconclusive.
 */
export function judge(history: Recorded, view: SystemView): Judgement {
  const cardServers = new Set(view.cardServers);
  const burst = history.requests.filter((request) => cardServers.has(request.target) && roleOf(request) === 'load');
  const probes = history.requests.filter((request) => cardServers.has(request.target) && roleOf(request) === 'probe');
  const states = view.cardServers.flatMap((name) => statesOf(history, name));
  const died = crashes(history).filter((crash) => cardServers.has(crash.target));
  const failedBurst = burst.filter(failed);
  const failedProbes = probes.filter(failed);
  const limit = view.parameters['CARD_SERVER_MEMORY_MIB'];
  const memory = limit === undefined ? 'its memory limit' : `its ${limit} MiB`;
  const slowest = burst.length > 0 ? Math.max(...burst.map(latency)) : 0;
  const details = { burst: burst.length, peakInFlight: peakInFlight(burst), failed: failedBurst.slice(0, 20).map(requestSummary), probes: probes.map(requestSummary), died, slowestMs: Math.round(slowest) };
  if (died.length > 0 || failedBurst.length > 0 || failedProbes.length > 0) {
    const oom = states.some((state) => state.oomKilled === true);
    const how = died.map((crash) => `${crash.target} exited with status ${crash.exitCode}${oom ? ', killed by the engine for its memory limit' : ''}`);
    const work = failedBurst.length > 0 ? [`${failedBurst.length} of ${burst.length} messages within its declared cap failed or stalled (${failureWords(failedBurst)})`] : [];
    const after = failedProbes.length > 0 ? [`${failedProbes.length} of ${probes.length} probes after the burst failed (${failureWords(failedProbes)})`] : [];
    const first = Math.min(...died.map((crash) => crash.atMs), ...failedBurst.map((request) => request.endMs), ...failedProbes.map((request) => request.endMs));
    return { verdict: 'finding', detectedAfterMs: Math.round(first), summary: `a burst of ${burst.length} messages, the card server's declared cap, against ${memory}: ${[...how, ...work, ...after].join('; ')}`, details };
  }
  if (!states.some((state) => state.oomKilled !== undefined)) {
    return { verdict: 'inconclusive', detectedAfterMs: null, summary: "this runtime puts no real memory limit on the card server (only V8's heap), so the burst could not meet its declared limit", details };
  }
  if (burst.length === 0 || probes.length === 0) return { verdict: 'inconclusive', detectedAfterMs: null, summary: 'the burst or the probes after it were not sent', details };
  const peak = peakInFlight(burst);
  if (peak < burst.length * PEAK_SHARE) {
    return { verdict: 'inconclusive', detectedAfterMs: null, summary: `the burst of ${burst.length} never had more than ${peak} messages in flight at once, so ${memory} was not met with the declared cap`, details };
  }
  return { verdict: 'pass', detectedAfterMs: null, summary: `a burst of ${burst.length} messages, the card server's declared cap, held within ${memory}: every one served (slowest ${Math.round(slowest)} ms), and ${probes.length} probes after it`, details };
}

export default fault;

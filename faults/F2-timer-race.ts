import type { Operation, Recorded } from '../harness/fault-api.ts';
import type { SystemView } from '../harness/fault-api.ts';
import type { AppliedToxic } from '../harness/fault-api.ts';
import { catalogEntry } from './catalog.ts';
import { budget } from './kit/budget.ts';
import { timeoutCrossing } from './kit/crossing.ts';
import { statesOf, timedOut } from './kit/evidence.ts';
import { sendLoops } from './kit/loops.ts';
import { lookAt, sampleStatus } from './kit/observe.ts';
import { relayMessage } from './kit/terminal.ts';
import { wait } from './kit/wait.ts';
import type { Fault, FaultContext, Judgement } from './types.ts';

/**
 * F2, the timeout-versus-reset race (INCIDENTS.md, "event 2"). With business traffic through
 * every relay, the latency of each relay → card-server link is stepped so that a message's time
 * through the relay sweeps across the relay's declared timeout: first coarsely, to find where
 * answers turn into timeouts under this load, then densely across that point. Timeouts are the
 * timeout path working and are fine; a relay that terminates, or work that dies with its
 * connection, is the finding.
 */

/**
 * The race window is the OS's delay in delivering a timer's notification (TIMEOUT_DELIVERY_MS,
 * 120 ms at time scale 1): 2 ms at 60, within a busy host's timer jitter, where a CPU hog beside
 * the run made the sweep miss it (at 20, 6 ms, still once in ten). At 10 it is 12 ms. An
 * operator's relay timeout of 5 s keeps the timeout itself at 500 ms real, so the sweep's own
 * timings stay as they were.
 */
const TIME_SCALE = 10;
const RELAY_TIMEOUT_MS = '5000';
const BASELINE_LOOPS = 3;
const BASELINE_MS = 1000;
const MAX_COARSE_STEPS = 12;
const SWEEP_MS = 12_000;
const STATUS_EVERY_MS = 200;
/** Connection losses: what a relay that terminated does to the messages it held. */
const DYING = new Set(['reset', 'closed']);
/** Below this share of answers served, the sweep never got under the timeout (passes measured 0.78–0.94). */
const MIN_OK_SHARE = 0.25;

const median = (values: number[]): number | null => (values.length === 0 ? null : ([...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? null));

/** The verdict from the history alone: a relay that exited abnormally, or work that died with its connection. */
export function judgeF2(history: Recorded, view: SystemView): Judgement {
  const relays = view.relays.map((relay) => relay.name);
  const messages = history.requests.filter((operation) => relays.includes(operation.target));
  const decisive: Array<{ relay: string; atMs: number; how: string }> = [];
  for (const relay of relays) {
    const exit = statesOf(history, relay).find((sample) => sample.state === 'exited' && sample.exitCode !== 0);
    if (exit) decisive.push({ relay, atMs: exit.atMs, how: `${relay} terminated (exit status ${exit.exitCode})` });
    const dying = messages.filter((operation) => operation.target === relay && DYING.has(operation.outcome));
    if (dying[0]) decisive.push({ relay, atMs: dying[0].endMs, how: `${relay} dropped ${dying.length} message(s) in flight with their connections` });
  }
  const timeouts = messages.filter(timedOut).length;
  const ok = messages.filter((operation) => operation.outcome === 'ok').length;
  const first = decisive.sort((a, b) => a.atMs - b.atMs)[0];
  if (first) {
    const link = view.relays.find((relay) => relay.name === first.relay)?.cardServerLink;
    const setting = history.injections.filter((injection) => injection.target === link && injection.action === 'toxic-add' && injection.atMs <= first.atMs).at(-1);
    const latency = (setting?.detail?.['attributes'] as { latency?: number } | undefined)?.latency;
    const inFlight = messages.filter((operation: Operation) => operation.target === first.relay && operation.startMs <= first.atMs && operation.endMs >= first.atMs - 1);
    return {
      verdict: 'finding',
      detectedAfterMs: Math.round(first.atMs),
      summary: `${first.how}${latency !== undefined ? ` with ${latency} ms added on its card-server link (timeout ${Math.round(view.timing.relayTimeoutMs)} ms)` : ''}, after ${messages.length} messages (${timeouts} timed out, as they may)`,
      details: { relay: first.relay, setting: setting ?? null, inFlight: inFlight.slice(0, 50) },
    };
  }
  const complete = history.notes.some((note) => note.name === 'sweep-complete');
  // The race lives in answers that arrive about when the timer fires: a sweep whose messages nearly
  // all timed out never brought the answers back below the timeout (a saturated host's own delay
  // crossed it), so it straddled nothing.
  const straddled = ok >= (ok + timeouts) * MIN_OK_SHARE;
  if (ok === 0 || !complete || !straddled) {
    const why = !complete ? 'the sweep did not complete' : ok === 0 ? 'no traffic got through the relays' : 'nearly every message timed out, whatever the latency added';
    return { verdict: 'inconclusive', detectedAfterMs: null, summary: `${why} (${messages.length} messages, ${ok} ok, ${timeouts} timed out); the race was not exercised across the timeout` };
  }
  const sweep = history.injections.filter((injection) => injection.action === 'toxic-add').map((injection) => (injection.detail?.['attributes'] as { latency: number }).latency);
  return {
    verdict: 'pass',
    detectedAfterMs: null,
    summary: `${relays.length} relays alive through ${sweep.length} link latency settings (${Math.min(...sweep)}–${Math.max(...sweep)} ms added, timeout ${Math.round(view.timing.relayTimeoutMs)} ms): ${messages.length} messages, ${ok} ok, ${timeouts} timed out, none dropped`,
  };
}

async function run(context: FaultContext): Promise<void> {
  const { topology, view, rng, history } = context;
  const timeoutMs = view.timing.relayTimeoutMs;
  const relays = view.relays.map((relay) => relay.name);
  using window = budget(context, 60_000);
  const { signal } = window;
  let counter = 0;
  const clients = new Map(relays.map((name) => [name, context.client(`f2-${name}`, { headersMs: Math.max(5000, timeoutMs * 4), bodyMs: Math.max(5000, timeoutMs * 4) })]));
  const traffic = (relay: string, loops: number, phase: string, until: AbortSignal) =>
    sendLoops(loops, until, async () => {
      const requestId = `f2-${relay}-${++counter}`;
      const endpoint = () => topology.component(relay).endpoint(view.ports.relay);
      return (await relayMessage(clients.get(relay)!, relay, endpoint, { requestId, kind: 'business', op: 'search', payload: { residentCode: 'R0001' }, data: { phase } }, until)).operation;
    });
  const answersOf = (relay: string, phase: string) => history.operations.filter((operation) => operation.target === relay && operation.data?.['phase'] === phase);

  // 1. Baseline: the round trip through each relay with nothing added.
  await Promise.all(relays.map((relay) => traffic(relay, BASELINE_LOOPS, 'baseline', AbortSignal.any([signal, AbortSignal.timeout(BASELINE_MS)]))));
  const baselineMs = new Map(relays.map((relay) => [relay, median(answersOf(relay, 'baseline').filter((o) => o.outcome === 'ok').map((o) => o.endMs - o.startMs)) ?? 0]));

  // 2. The plan, from the seed.
  const plan = { loops: rng.int(40, 50), coarseStepMs: rng.int(14, 20), stepMs: rng.int(2, 3), jitterMs: rng.int(2, 4), below: rng.int(12, 16), above: rng.int(10, 14) };
  history.note('plan', { ...plan, baselineMs: Object.fromEntries(baselineMs) });
  const applied = new Map<string, AppliedToxic>();
  const setLatency = async (relay: string, latency: number) => {
    const link = topology.link(view.relays.find((candidate) => candidate.name === relay)!.cardServerLink);
    // Replace the setting (a gap of a few ms without latency is harmless; two stacked would not be).
    await applied.get(relay)?.remove();
    applied.set(relay, await link.latency({ latency, jitter: plan.jitterMs }));
  };

  // 3. With traffic and a watch on every relay throughout: where answers turn into timeouts, then across it.
  const load = Promise.all([...relays.map((relay) => traffic(relay, plan.loops, 'sweep', signal)), sampleStatus(context, relays, STATUS_EVERY_MS, signal)]);
  try {
    const crossings = await Promise.all(
      relays.map((relay) =>
        timeoutCrossing({
          start: Math.max(0, Math.round(timeoutMs - (baselineMs.get(relay) ?? 0) - 120)),
          step: plan.coarseStepMs,
          maxSteps: MAX_COARSE_STEPS,
          dwellMs: Math.max(600, Math.round(timeoutMs * 1.4)),
          signal,
          apply: (latency) => setLatency(relay, latency),
          share: (sinceMs) => {
            const answered = answersOf(relay, 'sweep').filter((o) => o.endMs >= sinceMs && (o.outcome === 'ok' || timedOut(o)));
            return { share: answered.filter(timedOut).length / Math.max(1, answered.length), count: answered.length };
          },
          now: () => history.now(),
        }),
      ),
    );
    // The timeout's 50 % point lies within one coarse step below the crossing; relays interleave
    // within one fine step so that together they cover the window twice as densely.
    const plans = relays.map((_, index) => {
      const crossing = crossings[index] ?? plan.coarseStepMs * MAX_COARSE_STEPS;
      const offset = (plan.stepMs * index) / relays.length + rng.next() * 0.5;
      const values: number[] = [];
      for (let value = crossing - plan.coarseStepMs - plan.below + offset; value <= crossing + plan.above; value += plan.stepMs) values.push(Math.max(0, Math.round(value)));
      return values;
    });
    const steps = Math.max(...plans.map((values) => values.length));
    const dwellMs = Math.max(Math.round(SWEEP_MS / Math.max(1, steps)), timeoutMs);
    for (let index = 0; index < steps && !signal.aborted; index++) {
      await Promise.all(relays.map((relay, r) => (plans[r]?.[index] !== undefined ? setLatency(relay, plans[r]![index]!) : undefined)));
      await wait(dwellMs, signal);
    }
    if (!signal.aborted) history.note('sweep-complete', { steps, dwellMs });
  } finally {
    window.stop();
    // In-flight messages end within about a timeout; a dead relay's at once.
    await Promise.race([load, wait(timeoutMs * 3 + 1000, new AbortController().signal)]);
    await Promise.all([...applied.values()].map((toxic) => toxic.remove().catch(() => undefined)));
  }
  await lookAt(context, relays);
}

const fault: Fault = {
  id: 'F2',
  ...catalogEntry('F2'),
  topology: { municipalities: 1, relays: 2, cardServers: 1, parameters: { RELAY_TIMEOUT_MS } },
  limitMs: 45_000,
  timeScale: TIME_SCALE,
  run,
  judge: judgeF2,
};

export default fault;

import type { Operation, Recorded } from '../harness/fault-api.ts';
import type { SystemView } from '../harness/fault-api.ts';
import { catalogEntry } from './catalog.ts';
import { budget } from './kit/budget.ts';
import { commandsRun, failed, logEventsOf, statesOf, timedOut, type StateSample } from './kit/evidence.ts';
import { hsmWork } from './kit/hsm-work.ts';
import { lookAt, sampleStatus } from './kit/observe.ts';
import { seededSweep } from './kit/sweep.ts';
import { wait } from './kit/wait.ts';
import type { Fault, FaultContext, Judgement } from './types.ts';

/**
 * F1: the hardware monitor's status check collides with a CPU core that handles an HSM board's
 * data. HSM work (control `ic-exchange` messages straight to each relay, a few loops per relay)
 * flows while the operator's "poll now" runs on the relays over and over, each after a small
 * seeded offset. The polls are forced through the operator command, so no time compression is
 * needed to make them meet the HSM work.
 */

/** Concurrent ic-exchange loops per relay: enough to keep the boards of a relay busy. */
const LOOPS_PER_RELAY = 2;
/** Concurrent operator polls (an exec starts a Node process: about 0.2–0.4 s each). */
const POLL_WORKERS = 2;
/** Rest between two polls of a worker: back-to-back execs starve a small host, which is a different test. */
const POLL_REST_MS = 250;
/** Pass budget: this many polls, or this long, whichever comes first. */
const POLL_BUDGET = 150;
const TIME_BUDGET_MS = 20_000;
/** With the monitor off nothing is injected: HSM work this long shows the relays serve. */
const MONITOR_OFF_WORK_MS = 5000;
/** The offsets swept before a poll, in ms. */
const OFFSET_STEPS = 10;
/** Timeouts on one relay, while it still runs, that make its HSM work count as hung. */
const TIMEOUT_THRESHOLD = 3;
/**
 * F1 runs at time scale 1: the collision window is the declared HSM_CORE_MS and MONITOR_POLL_MS
 * (a few ms), which compression would shrink below what timers resolve. The polls are forced, so
 * the 2-hour cadence needs no compression. An operator's settings keep the run short: a relay
 * timeout of 2 s, and the HSM watchdog (CONTRACT.md 3) at 0.8 of it, so that a relay that notices
 * a lost completion says so before its own timer answers.
 */
const TIME_SCALE = 1;
const RELAY_TIMEOUT_MS = '2000';
const HSM_WATCHDOG_MS = '1600';
/** The harness gives up on an exchange after this many relay timeouts (the relay should answer first). */
const CLIENT_TIMEOUT_FACTOR = 4;
const STATUS_EVERY_MS = 300;

/**
 * The `threshold`-th timeout of one relay's HSM work, provided at least one of those counted was
 * sent after an earlier one had already timed out: the relay stayed hung across exchanges (one host
 * stall that times out every exchange in flight at once does not count).
 */
export function sustainedTimeout(timeouts: readonly Operation[], threshold: number): Operation | undefined {
  const first = timeouts[0];
  if (!first) return undefined;
  let sentAfterFirst = false;
  for (let index = 1; index < timeouts.length; index++) {
    const timeout = timeouts[index] as Operation;
    if (timeout.startMs >= first.endMs) sentAfterFirst = true;
    if (index + 1 >= threshold && sentAfterFirst) return timeout;
  }
  return undefined;
}

/** The monitor's declared interval as the run lives it (ms); 0 or less: the environment runs no monitor. */
function monitorIntervalMs(view: SystemView): number {
  const declared = (name: string) => Number(view.parameters[name] ?? view.defaults?.[name]);
  return declared('MONITOR_INTERVAL_MS') / (declared('TIME_SCALE') || 1);
}

/**
 * Whether the monitor met the HSM work on `relay`: an operator poll that ran, or HSM work that
 * lasted longer than the monitor's own declared interval (MONITOR_INTERVAL_MS at time scale 1).
 */
function polled(history: Recorded, view: SystemView, relay: string, polls: ReturnType<typeof commandsRun>): boolean {
  if (polls.some((poll) => poll.target === relay && poll.exitCode === 0)) return true;
  const intervalMs = monitorIntervalMs(view);
  const work = history.requests.filter((operation) => operation.target === relay && operation.op === 'ic-exchange');
  const spanMs = work.length > 0 ? Math.max(...work.map((operation) => operation.endMs)) - Math.min(...work.map((operation) => operation.startMs)) : 0;
  return Number.isFinite(intervalMs) && intervalMs > 0 && spanMs > intervalMs;
}

/** The state sample that shows `relay` still running at or after `atMs`, if any. */
const runningAfter = (states: readonly StateSample[], atMs: number) => states.find((sample) => sample.atMs >= atMs && sample.state === 'running');

/**
 * The verdict from the history alone. A finding is HSM work that a running relay failed: an error
 * answer of any status or word (a lost completion reported), or exchanges that hang, sustained,
 * while the relay's process still runs. A relay that died is another fault (F2), not this one.
 */
export function judgeF1(history: Recorded, view: SystemView): Judgement {
  const relays = view.relays.map((relay) => relay.name);
  const polls = commandsRun(history, view.operator.relayPollNow);
  const decided: Array<{ relay: string; atMs: number; how: string; requests: Operation[] }> = [];
  for (const relay of relays) {
    const work = history.requests.filter((operation) => operation.target === relay && operation.op === 'ic-exchange');
    const states = statesOf(history, relay);
    const answered = work.find((operation) => failed(operation) && !timedOut(operation) && (operation.status ?? 0) >= 500 && runningAfter(states, operation.endMs));
    if (answered) {
      const word = answered.code ? ` ${answered.code}` : '';
      decided.push({ relay, atMs: answered.endMs, how: `${relay} failed HSM work with ${answered.status}${word} while running`, requests: [answered] });
    }
    const timeouts = work.filter(timedOut).sort((a, b) => a.endMs - b.endMs);
    const deciding = sustainedTimeout(timeouts, TIMEOUT_THRESHOLD);
    const alive = deciding && runningAfter(states, deciding.endMs);
    if (deciding && alive) {
      decided.push({ relay, atMs: alive.atMs, how: `HSM work hung on ${relay}: ${timeouts.length} exchanges got no answer in time while the relay kept running`, requests: timeouts.slice(0, 10) });
    }
  }
  const first = decided.sort((a, b) => a.atMs - b.atMs)[0];
  const served = history.requests.filter((operation) => operation.op === 'ic-exchange' && operation.outcome === 'ok').length;
  const failures = history.requests.filter((operation) => operation.op === 'ic-exchange' && failed(operation)).length;
  if (first) {
    const poll = polls.filter((candidate) => candidate.target === first.relay && candidate.atMs <= first.requests[0]!.startMs + 1).at(-1);
    const logged = Object.entries(logEventsOf(history, first.relay)).filter(([event]) => /hsm|interrupt|board/i.test(event));
    const words = logged.length > 0 ? `; its log: ${logged.map(([event, count]) => `${count}× ${event}`).join(', ')}` : '';
    return {
      verdict: 'finding',
      detectedAfterMs: Math.round(first.atMs),
      summary: `${first.how}${poll ? `, after a monitor poll at ${(poll.atMs / 1000).toFixed(2)} s` : ''}; ${polls.length} polls, ${served} exchanges served${words}`,
      details: { relay: first.relay, poll: poll ?? null, requests: first.requests },
    };
  }
  const problems: string[] = [];
  for (const relay of relays) {
    const end = statesOf(history, relay).at(-1);
    if (end?.state !== 'running') problems.push(`${relay} ${end ? `${end.state} (exit ${end.exitCode})` : 'state unknown'}`);
    if (!polled(history, view, relay, polls)) problems.push(monitorIntervalMs(view) <= 0 ? `${relay} never polled: this environment runs no hardware monitor (MONITOR_INTERVAL_MS 0)` : `${relay} never polled`);
    const last = history.requests.findLast((operation) => operation.target === relay && operation.op === 'ic-exchange' && operation.outcome !== 'aborted');
    if (last?.outcome !== 'ok') problems.push(`${relay} not serving at the end (${last ? last.outcome : 'no exchange'})`);
  }
  if (problems.length > 0) {
    return { verdict: 'inconclusive', detectedAfterMs: null, summary: `no HSM work failed on a running relay, but ${problems.join('; ')} (${polls.length} polls, ${served} served, ${failures} failed)` };
  }
  return {
    verdict: 'pass',
    detectedAfterMs: null,
    summary: `${polls.length > 0 ? `${polls.length} monitor polls` : "the monitor's own schedule"} during HSM work on ${relays.length} relays: ${served} exchanges served, ${failures} failed, none hung on a running relay`,
  };
}

async function run(context: FaultContext): Promise<void> {
  const { topology, view, rng } = context;
  const relays = view.relays.map((relay) => relay.name);
  const clientTimeoutMs = Math.max(200, Math.round(view.timing.relayTimeoutMs * CLIENT_TIMEOUT_FACTOR));
  const client = context.client('hsm-work', { connectMs: clientTimeoutMs, headersMs: clientTimeoutMs, bodyMs: clientTimeoutMs });
  const relayStart = rng.int(0, relays.length - 1);
  const offsets = seededSweep(rng.fork('offsets'), OFFSET_STEPS, POLL_BUDGET);
  // An environment whose sheet turns the monitor off (F15) gets no poll: none would happen there.
  const monitorOff = monitorIntervalMs(view) <= 0;
  const timeBudgetMs = monitorOff ? MONITOR_OFF_WORK_MS : TIME_BUDGET_MS;
  context.history.note('plan', { polls: monitorOff ? 0 : POLL_BUDGET, timeBudgetMs, loopsPerRelay: LOOPS_PER_RELAY, clientTimeoutMs });
  using window = budget(context, timeBudgetMs);
  const { signal } = window;

  let nextPoll = 0;
  const pollWorker = async (): Promise<void> => {
    for (let index = nextPoll++; index < POLL_BUDGET && !signal.aborted; index = nextPoll++) {
      await wait(offsets[index] as number, signal);
      if (signal.aborted) break;
      const relay = relays[(relayStart + index) % relays.length] as string;
      await topology.component(relay).exec(view.operator.relayPollNow).catch(() => undefined);
      await wait(POLL_REST_MS, signal);
    }
    // The poll budget is spent: stop the HSM work too.
    if (nextPoll >= POLL_BUDGET) window.stop();
  };
  await Promise.all([hsmWork(context, client, LOOPS_PER_RELAY, signal, 'f1'), ...Array.from({ length: monitorOff ? 0 : POLL_WORKERS }, pollWorker), sampleStatus(context, relays, STATUS_EVERY_MS, signal)]);
  await lookAt(context, relays);
}

const fault: Fault = {
  id: 'F1',
  ...catalogEntry('F1'),
  topology: { municipalities: 1, relays: 2, cardServers: 1, parameters: { RELAY_TIMEOUT_MS, HSM_WATCHDOG_MS } },
  limitMs: 45_000,
  timeScale: TIME_SCALE,
  run,
  judge: judgeF1,
};

export default fault;

import { judgeF1 } from '../../faults/F1-monitor-collision.ts';
import { judgeF5 } from '../../faults/F5-thread-names.ts';
import { commandsRun, failed, logEventsOf } from '../../faults/kit/evidence.ts';
import { cardSearches } from '../../faults/kit/card-searches.ts';
import { hsmWork } from '../../faults/kit/hsm-work.ts';
import { sampleStatus } from '../../faults/kit/observe.ts';
import type { Recorded } from '../history/history.ts';
import { isError, timeSeries } from '../load/analysis.ts';
import { k6Requests } from '../load/k6-history.ts';
import { mixOf, peakSlot, stepPlan } from '../load/plan.ts';
import type { SystemView } from '../target/types.ts';
import { describe, judgeRelaysAlive, lookAtRelays, PACE } from './common.ts';
import type { Suite, SuiteResult } from './types.ts';

/**
 * Requests per wall-clock second: what this machine carries with room to spare (bench/load.md),
 * whatever the time scale. F5 grows with the messages a processing slot serves without a pause,
 * not with the load's height, so the test runs the target fast and the load continuous.
 */
const RATE_PER_S = 40;
/**
 * F5's climb in the card server's share of a search's latency (the probes', below). Measured in 3
 * minutes beside a CPU hog: at time scale 30, 1.31 on 2016-01 against 0.87 on fixed; at 60, 1.12
 * against 0.86 (fixed) and 0.93 (2016-03), since the card server's 60 s idle rule is then 1 s,
 * which a loaded host's stalls reach, starting the names over. Quiet at 60: 1.42 on 2016-01.
 */
const TREND_FACTOR = 1.2;
const BUCKETS = 20;
/**
 * Searches straight to each relay beside the load, one at a time: F5's measure. k6's own searches
 * also cross the CS and the distributor, whose base latency diluted the card server's climb until
 * a CPU hog beside the run hid it (runs 11 and 12 of bench/tests.md).
 */
const PROBE_CLIENT = 'card-probe';
/** HSM work straight to each relay beside the load (as the F1 mean test sends it): concurrent loops per relay. */
const LOOPS_PER_RELAY = 2;
/** The harness gives up on an exchange after this many relay timeouts (the relay should answer first). */
const CLIENT_TIMEOUT_FACTOR = 4;
/** How often the relays' states are sampled, so a judge can tell a hung relay that runs from a dead one. */
const STATUS_EVERY_MS = 500;
/**
 * The relay's HSM watchdog (CONTRACT.md 3) at time scale 1, as the F1 mean test sets it: 0.8 of
 * the relay timeout, so a relay that notices a lost completion says so before its own timer
 * answers. Its default is within the scheduling noise of a loaded host once compressed.
 */
const HSM_WATCHDOG_MS = '24000';

interface RelayHealth {
  relay: string;
  /** The operator's status command's output at the end. */
  boards: string | null;
  /** The relay's own log events (measurements, not what decides). */
  monitorPolls: number;
  hsmInterrupted: number;
}

function relayHealth(history: Recorded, view: SystemView): RelayHealth[] {
  const statuses = commandsRun(history, view.operator.relayStatus);
  return view.relays.map(({ name }) => {
    const events = logEventsOf(history, name);
    const status = statuses.findLast((command) => command.target === name);
    return {
      relay: name,
      boards: status ? String(status.detail?.['output'] ?? '').trim() : null,
      monitorPolls: events['monitor-poll'] ?? 0,
      hsmInterrupted: events['hsm-interrupted'] ?? 0,
    };
  });
}

/**
 * The continuous test: the peak slot's mix at a steady rate with no pause, the hardware monitor
 * at a compressed cadence, and HSM work straight to each relay beside it. F5: latency that climbs
 * under load that does not change. F1: HSM work that a running relay fails or leaves hanging once
 * the monitor has polled (the mean test's judge).
 */
const suite: Suite = {
  id: 'continuous',
  title: 'Continuous test: steady load without a pause',
  judges: ['F5', 'F1', 'F2'],
  // F5 grows with the messages a slot serves, so the faster the target runs the sooner it shows;
  // at 60 the monitor's own 2 hours are 2 minutes, so a short run meets F1 only when asked to.
  defaultTimeScale: 60,
  topology: () => ({
    municipalities: 4,
    relays: 2,
    cardServers: 1,
    // At this time scale the CS's timeouts are a few hundred milliseconds, inside this machine's
    // own jitter; generous ones keep the CS block (F3, F4) out of a test about F1 and F5.
    parameters: { CS_SEARCH_TIMEOUT_MS: '600000', CS_REQUEST_TIMEOUT_MS: '600000', HSM_WATCHDOG_MS },
  }),
  async run(context) {
    const { options, view, topology } = context;
    const relays = view.relays.map((relay) => relay.name);
    const mix = mixOf(peakSlot(options.profile));
    // Each request is one business message (a card is two requests), so the rate converts directly.
    const per10Min = (RATE_PER_S * 600) / options.timeScale;
    const scenarios = stepPlan(mix, [per10Min], options.minutes * 60, { timeScale: options.timeScale, ...PACE });
    const clientTimeoutMs = Math.max(200, Math.round(view.timing.relayTimeoutMs * CLIENT_TIMEOUT_FACTOR));
    const client = context.client('hsm-work', { connectMs: clientTimeoutMs, headersMs: clientTimeoutMs, bodyMs: clientTimeoutMs });
    context.history.note('plan', { ratePerS: RATE_PER_S, loopsPerRelay: LOOPS_PER_RELAY, clientTimeoutMs, statusEveryMs: STATUS_EVERY_MS });
    // The HSM work and the state samples last as long as the load.
    const during = new AbortController();
    const signal = AbortSignal.any([context.signal, during.signal]);
    const work = hsmWork(context, client, LOOPS_PER_RELAY, signal, 'continuous');
    const probes = cardSearches(context, context.client(PROBE_CLIENT, { headersMs: clientTimeoutMs, bodyMs: clientTimeoutMs }), relays, { loops: 1, prefix: 'probe', signal });
    const sampling = sampleStatus(context, relays, STATUS_EVERY_MS, signal);
    try {
      await context.load(scenarios, 'steady');
    } finally {
      during.abort();
      await Promise.all([work, probes, sampling]);
    }
    await lookAtRelays(context);
    for (const relay of relays) await topology.component(relay).exec(view.operator.relayStatus).catch(() => undefined);
  },
  judge(history, view, options) {
    const requests = k6Requests(history);
    // The control path: HSM work straight to the relays in the same minutes (F5's mean test uses the same).
    const { trend, control, ...judged } = judgeF5(
      history.requests.filter((request) => request.client === PROBE_CLIENT),
      history.requests.filter((request) => request.op === 'ic-exchange'),
      TREND_FACTOR,
    );
    const health = relayHealth(history, view);
    const series = timeSeries(requests, Math.max(1, (options.minutes * 60) / BUCKETS));
    const errors = requests.filter(isError).length;
    const f5: SuiteResult = {
      ...describe('F5'),
      ...judged,
      summary: `searches straight to the relays under steady load: ${judged.summary}`,
      evidence: [],
      measurements: { ratePerS: RATE_PER_S, requests: requests.length, errors, trend, control, series },
    };

    const judgement = judgeF1(history, view);
    const exchanges = history.requests.filter((request) => request.op === 'ic-exchange');
    const polls = health.reduce((sum, relay) => sum + relay.monitorPolls, 0);
    const f1: SuiteResult = {
      ...describe('F1'),
      verdict: judgement.verdict,
      detectedAfterMs: judgement.detectedAfterMs,
      summary: `${judgement.summary}; the relays logged ${polls} monitor polls`,
      evidence: [],
      measurements: {
        exchanges: exchanges.length,
        served: exchanges.filter((request) => request.outcome === 'ok').length,
        failed: exchanges.filter(failed).length,
        monitorPolls: polls,
        relays: health,
        ...(judgement.details && { details: judgement.details }),
      },
    };
    return [f5, f1, judgeRelaysAlive(history, view)];
  },
};

export default suite;

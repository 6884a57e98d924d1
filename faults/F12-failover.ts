import type { Recorded, SystemView } from '../harness/fault-api.ts';
import { catalogEntry } from './catalog.ts';
import { budget } from './kit/budget.ts';
import { cardServerIntegrity, type Finding } from './kit/card-servers.ts';
import { crashes } from './kit/checkers/no-crash.ts';
import { componentsOf, failureWords, requestSummary, roleOf } from './kit/evidence.ts';
import { outage, outageLiveness, type Phase } from './kit/failover.ts';
import { sendLoops } from './kit/loops.ts';
import { mixedWork, readBackCards } from './kit/mixed-work.ts';
import { lookAt } from './kit/observe.ts';
import { Terminal, TERMINAL_TIMEOUTS } from './kit/terminal.ts';
import { wait } from './kit/wait.ts';
import type { Fault, Judgement } from './types.ts';

/**
 * F12: the redundant system the organisation planned and never tested, two relays and two card
 * servers under steady mixed work from the terminals, with one component after another stopped,
 * killed with SIGKILL or paused, held down, and brought back. Judged by what the work met:
 * liveness (once the stated switch-over time has passed, the work is served again), durability
 * (every pre-issue and issue acknowledged is there afterwards, read back at every card server),
 * reconciliation (the card servers answer the same record for each card), and no crash.
 *
 * The card server's outages come first, while the CS's kept-alive connections still spread over
 * both relays: a relay taken down moves them all to the other, where they stay once it is back
 * (nothing rebalances a kept-alive connection). For the same reason the relay's outages alternate
 * between the two relays, so that each meets the connections the one before moved to it.
 */

/**
 * The time scale of the run: service and card times short enough for many requests per outage,
 * and the relay's timer (30 s at scale 1) at 1 s, so that work held by a dead card server fails
 * within the outage instead of waiting for the heal.
 */
const TIME_SCALE = 30;
/** How long the system may take to route around a component gone down: work begun later must be served. */
const SWITCH_OVER_MS = 1000;
/** After the switch-over, how long the outage lasts while the work is measured. */
const MEASURE_MS = 1500;
/** Before the first request: the distributor's checks see every relay up (each is ready by then). */
const IDLE_MS = 1000;
/** Work before the first outage. */
const WARM_UP_MS = 500;
/** After a heal, before the next outage, beyond the relay's timer: the work begun during one outage is answered before the next begins. */
const SETTLE_MS = 300;
/** Terminals, the first of them writing cards (a pre-issue takes seconds), the others searching and moving. */
const TERMINALS = 12;
const CARD_TERMINALS = 4;
/**
 * The share of the work begun after the switch-over that may still fail: stray failures of a busy
 * machine. Low, because the CS's pool itself steers work away from a relay whose answers hang (its
 * connections stay busy while the others free up), so work that fails for a dead card server is
 * 5-15 % of the requests on docker, though it holds the terminals a third of their time.
 */
const MAX_FAILED_SHARE = 0.02;
/** Failed requests below which a share proves nothing (a stray or two in a thin window). */
const FAILED_AT_LEAST = 3;
const RECOVER_WITHIN_MS = 2000;
/** Requests begun between the switch-over and the heal below which an outage proves nothing either way. */
const MEASURED = 10;
const READERS = 8;
/** Six outages of about 5 s each, with room for a slow machine's restarts. */
const RUN_MS = 60_000;

/** The outages, in order: the first card server's, then the relays' (the comment above says why). */
function phasesOf(view: SystemView): Phase[] {
  const [relay1, relay2] = view.relays.map((relay) => relay.name);
  const [cardServer] = view.cardServers;
  if (!relay1 || !relay2 || !cardServer || view.cardServers.length < 2) throw new Error('F12 needs two relays and two card servers');
  return [
    { name: `${cardServer} stop`, target: cardServer, outage: 'stop' },
    { name: `${cardServer} kill -9`, target: cardServer, outage: 'kill' },
    { name: `${cardServer} pause`, target: cardServer, outage: 'pause' },
    { name: `${relay1} stop`, target: relay1, outage: 'stop' },
    { name: `${relay2} kill -9`, target: relay2, outage: 'kill' },
    { name: `${relay1} pause`, target: relay1, outage: 'pause' },
  ];
}


const fault: Fault = {
  id: 'F12',
  ...catalogEntry('F12'),
  topology: {
    municipalities: 1,
    relays: 2,
    cardServers: 2,
    // A search held by a dead component must not set off the CS's block (F4): only failover is tested.
    parameters: { CS_SEARCH_TIMEOUT_MS: '600000' },
    distributor: { healthChecks: true },
  },
  limitMs: 90_000,
  timeScale: TIME_SCALE,
  async run(context) {
    const { topology, view, rng, history } = context;
    const [municipality] = view.municipalities;
    if (!municipality) throw new Error('F12 needs a CS');
    const phases = phasesOf(view);
    const components = componentsOf(view);
    history.note('plan', { switchOverMs: SWITCH_OVER_MS, measureMs: MEASURE_MS, maxFailedShare: MAX_FAILED_SHARE, failedAtLeast: FAILED_AT_LEAST, recoverWithinMs: RECOVER_WITHIN_MS, terminals: TERMINALS, phases: phases.map((phase) => phase.name) });
    using window = budget(context, RUN_MS);
    await wait(IDLE_MS, window.signal);
    await lookAt(context, components, false);
    const terminal = new Terminal(context.client('terminal-1', TERMINAL_TIMEOUTS), municipality.terminalLink, () => topology.entry(municipality.terminalLink), rng, window.signal);
    // The outages end the work by this signal, letting what is in flight finish; a finding ends it by the budget's.
    const done = new AbortController();
    const work = sendLoops(TERMINALS, AbortSignal.any([window.signal, done.signal]), mixedWork(terminal, rng, CARD_TERMINALS));
    await wait(WARM_UP_MS, window.signal);
    for (const phase of phases) {
      if (!(await outage(context, phase, SWITCH_OVER_MS + MEASURE_MS, window.signal))) break;
      await wait(view.timing.relayTimeoutMs + SETTLE_MS, window.signal);
      // Each look between outages, never during one: a component seen exited mid-restart is no crash.
      await lookAt(context, components, false);
    }
    done.abort();
    await work;
    if (window.signal.aborted) return;
    await readBackCards(context, READERS);
    await lookAt(context, components);
  },
  judge,
};

const percent = (share: number) => `${(share * 100).toFixed(share > 0 && share < 0.1 ? 1 : 0)} %`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function judge(history: Recorded, view: SystemView): Judgement {
  const plan = phasesOf(view);
  const findings: Finding[] = [];
  const load = history.requests.filter((operation) => roleOf(operation) === 'load');
  const measured = outageLiveness(history, load, { switchOverMs: SWITCH_OVER_MS, recoverWithinMs: RECOVER_WITHIN_MS, maxFailedShare: MAX_FAILED_SHARE });
  for (const { window, report, failures, unrecovered } of measured) {
    if (report.afterSwitchOver >= MEASURED && report.failedShare > MAX_FAILED_SHARE && report.failedAfterSwitchOver >= FAILED_AT_LEAST && report.firstFailureMs !== null) {
      findings.push({
        atMs: report.firstFailureMs,
        summary: `${window.name}: ${report.failedAfterSwitchOver} of ${report.afterSwitchOver} requests (${percent(report.failedShare)}) begun from ${SWITCH_OVER_MS} ms after the outage ${window.healedAtMs === null ? 'while it lasted' : 'until it was healed'} failed (${failureWords(failures)}), the first at ${seconds(report.firstFailureMs)}`,
        details: { outage: window, liveness: report, failed: failures.slice(0, 20).map(requestSummary) },
      });
    }
    if (unrecovered && window.healedAtMs !== null) {
      const served = report.recoveredAfterMs === null ? 'nothing served' : `served again only after ${report.recoveredAfterMs} ms`;
      findings.push({ atMs: window.healedAtMs + (report.recoveredAfterMs ?? RECOVER_WITHIN_MS), summary: `${window.name}: ${served} once it was healed (at most ${RECOVER_WITHIN_MS} ms)`, details: { outage: window, liveness: report } });
    }
  }
  for (const crash of crashes(history)) {
    findings.push({ atMs: crash.atMs, summary: `${crash.target} was seen exited (status ${crash.exitCode}) at ${seconds(crash.atMs)} without being told to stop`, details: { crash } });
  }

  const integrity = cardServerIntegrity(history, view.cardServers, load);
  findings.push(...integrity.findings);
  const { atServers } = integrity;

  if (findings.length > 0) {
    findings.sort((a, b) => a.atMs - b.atMs);
    const [first] = findings as [Finding];
    const more = findings.length > 1 ? `; and ${findings.length - 1} more: ${findings.slice(1, 3).map((finding) => finding.summary).join('; ')}` : '';
    return { verdict: 'finding', detectedAfterMs: Math.round(first.atMs), summary: `${first.summary}${more}`, details: { findings } };
  }

  const healed = measured.filter(({ window }) => window.healedAtMs !== null);
  const missing = plan.filter((phase) => !healed.some(({ window }) => window.name === phase.name));
  const thin = healed.filter(({ report }) => report.afterSwitchOver < MEASURED);
  const unread = atServers.filter(({ report }) => report.acknowledged === 0 || report.unread.length > 0);
  const details = { outages: measured.map(({ window, report }) => ({ ...window, ...report })), durability: atServers.map(({ cardServer, report }) => ({ cardServer, ...report, lost: report.lost.length, recovered: report.recovered.length, unread: report.unread.length })), reconciliation: { compared: integrity.compared } };
  if (missing.length > 0) return { verdict: 'inconclusive', detectedAfterMs: null, summary: `not every outage was held and healed: ${missing.map((phase) => phase.name).join(', ')} missing`, details };
  if (thin.length > 0) return { verdict: 'inconclusive', detectedAfterMs: null, summary: `too little work measured after the switch-over (fewer than ${MEASURED} requests): ${thin.map(({ window, report }) => `${window.name} ${report.afterSwitchOver}`).join(', ')}`, details };
  if (unread.length > 0) return { verdict: 'inconclusive', detectedAfterMs: null, summary: `the acknowledged writes were not all read back: ${unread.map(({ cardServer, report }) => `${cardServer} ${report.unread.length} of ${report.acknowledged} unread`).join(', ')}`, details };

  const begun = healed.reduce((sum, { report }) => sum + report.afterSwitchOver, 0);
  const failures = healed.reduce((sum, { report }) => sum + report.failedAfterSwitchOver, 0);
  const worst = Math.max(...healed.map(({ report }) => report.failedShare));
  const recovery = Math.max(...healed.map(({ report }) => report.recoveredAfterMs ?? 0));
  const acknowledged = atServers[0]?.report.acknowledged ?? 0;
  return {
    verdict: 'pass',
    detectedAfterMs: null,
    summary:
      `${plan.length} outages (${plan.map((phase) => phase.name).join(', ')}), each held ${seconds(SWITCH_OVER_MS + MEASURE_MS)}: ` +
      `${failures} of ${begun} requests begun ${SWITCH_OVER_MS} ms or more after an outage failed (at most ${percent(worst)} in one), served again within ${recovery} ms of each heal; ` +
      `${acknowledged} acknowledged pre-issues and issues all read back at ${view.cardServers.join(' and ')}, which agree on all ${integrity.compared} cards; no component exited untold`,
    details,
  };
}

export default fault;

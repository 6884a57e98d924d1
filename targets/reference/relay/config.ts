import type { Env } from '../lib/env.ts';

export const RELAY_PORT = 8300;

/** Every relay parameter (CONTRACT.md 3), durations already scaled to this run's time. */
export interface RelayConfig {
  /** `host:port` of every card server, the relay's own (CARD_SERVER) first. */
  cardServers: string[];
  /** Between rounds of health probes of the card servers, and how long a probe may wait (failover, F12). */
  cardServerProbeMs: number;
  cardServerProbeTimeoutMs: number;
  maxConnections: number;
  timeoutMs: number;
  timeoutDeliveryMs: number;
  hsmBoards: number;
  cpuCores: number;
  hsmOpMs: number;
  hsmCoreMs: number;
  hsmWatchdogMs: number;
  monitorIntervalMs: number;
  monitorPollMs: number;
}

/** Below this a monitor query could no longer overlap a core's work once timers round it. */
const POLL_FLOOR_MS = 1;
/** Below this the watchdog would take an event-loop pause for a lost completion. */
const WATCHDOG_FLOOR_MS = 100;
/**
 * The reference's own probing cadence, at time scale 1 (not a contract parameter: how a target
 * notices a dead card server is its own business). Floors keep a busy machine's pauses from
 * reading as a dead card server, and the probes from costing more than the messages.
 */
const PROBE_MS = 1000;
const PROBE_FLOOR_MS = 100;
const PROBE_TIMEOUT_MS = 1000;
const PROBE_TIMEOUT_FLOOR_MS = 200;

/** CARD_SERVERS, or the one CARD_SERVER where the harness gave no list; the relay's own first either way. */
function cardServers(env: Env): string[] {
  const own = env.string('CARD_SERVER');
  const listed = (env.source.CARD_SERVERS ?? '').split(',').filter((address) => address !== '' && address !== own);
  return [own, ...listed];
}

export function relayConfig(env: Env): RelayConfig {
  const { behaviour } = env;
  return {
    cardServers: cardServers(env),
    cardServerProbeMs: Math.max(PROBE_FLOOR_MS, PROBE_MS / env.timeScale),
    cardServerProbeTimeoutMs: Math.max(PROBE_TIMEOUT_FLOOR_MS, PROBE_TIMEOUT_MS / env.timeScale),
    maxConnections: env.number('RELAY_MAX_CONNECTIONS', behaviour.relayMaxConnections),
    timeoutMs: env.scaledMs('RELAY_TIMEOUT_MS', 30_000),
    timeoutDeliveryMs: env.scaledMs('TIMEOUT_DELIVERY_MS', 120),
    hsmBoards: env.number('HSM_BOARDS', behaviour.hsmBoards),
    cpuCores: env.number('CPU_CORES', 4),
    hsmOpMs: env.scaledMs('HSM_OP_MS', 12),
    hsmCoreMs: env.scaledMs('HSM_CORE_MS', 4),
    hsmWatchdogMs: Math.max(WATCHDOG_FLOOR_MS, env.scaledMs('HSM_WATCHDOG_MS', 1000)),
    monitorIntervalMs: env.scaledMs('MONITOR_INTERVAL_MS', 7_200_000),
    monitorPollMs: Math.max(POLL_FLOOR_MS, env.scaledMs('MONITOR_POLL_MS', 2)),
  };
}

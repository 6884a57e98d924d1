import type { Env } from '../lib/env.ts';

export const RELAY_PORT = 8300;

/** Every relay parameter (CONTRACT.md 3), durations already scaled to this run's time. */
export interface RelayConfig {
  cardServer: string;
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

export function relayConfig(env: Env): RelayConfig {
  const { behaviour } = env;
  return {
    cardServer: env.string('CARD_SERVER'),
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

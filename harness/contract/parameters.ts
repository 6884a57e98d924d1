/**
 * CONTRACT.md 3 as data: every operational parameter a component reads from its environment, and
 * its default at time scale 1 (the launch figure where a level changed it). The parameter sheet
 * of a run (N3) is compared against these.
 */

/**
 * The card server's memory limit is the container's, not an environment value; the sheet still
 * lists it, in MiB, under this name (F6 is a change of exactly this figure).
 */
export const CARD_SERVER_MEMORY_KEY = 'CARD_SERVER_MEMORY_MIB';

export const CONTRACT_DEFAULTS: Readonly<Record<string, string>> = {
  TIME_SCALE: '1',
  CS_POOL_SIZE: '16',
  CS_BLOCK_MS: '60000',
  CS_SEARCH_TIMEOUT_MS: '10000',
  CS_REQUEST_TIMEOUT_MS: '60000',
  CS_CARD_TIME_MS: '10000',
  RELAY_MAX_CONNECTIONS: '70',
  RELAY_TIMEOUT_MS: '30000',
  HSM_BOARDS: '2',
  HSM_OP_MS: '12',
  HSM_CORE_MS: '4',
  CPU_CORES: '4',
  MONITOR_INTERVAL_MS: '7200000',
  MONITOR_POLL_MS: '2',
  HSM_WATCHDOG_MS: '1000',
  TIMEOUT_DELIVERY_MS: '120',
  CARD_SERVER_MAX_CONNECTIONS: '200',
  CARD_SERVER_SERVICE_MS: '3300',
  MESSAGE_BUFFER_BYTES: '4194304',
  THREAD_IDLE_MS: '60000',
  LOG_WRITE_MS_PER_KIB: '400',
  DATA_DIR: '/tmp/card-server',
  IC_DIR: '/tmp/ic',
  CA_REVOKE_MS: '500',
  CA_DIR: '/tmp/ca',
  SCHEDULER_CA_TIMEOUT_MS: '30000',
  SCHEDULER_RETRY_MS: '5000',
  SCHEDULER_ATTEMPTS: '3',
  SCHEDULER_DIR: '/tmp/scheduler',
  [CARD_SERVER_MEMORY_KEY]: '512',
};

/** Names a target sets for its components: the contract's, less the ones the harness owns. */
export const SETTABLE_PARAMETERS: readonly string[] = Object.keys(CONTRACT_DEFAULTS).filter(
  (name) => name !== 'TIME_SCALE' && name !== CARD_SERVER_MEMORY_KEY,
);

/** A declared duration (ms at time scale 1) as the run lives it. */
export function scaledMs(parameters: Readonly<Record<string, string>>, name: string, timeScale: number): number {
  return Number(parameters[name] ?? CONTRACT_DEFAULTS[name]) / timeScale;
}

/**
 * The traffic distributor's configuration (CONTRACT.md 2.4): HAProxy in TCP mode across the
 * relays, written by the harness for every target. `{bind}` is left for the runtime to fill (all
 * interfaces in a container, the component's own address as a process).
 */
export interface DistributorOptions {
  /** `host:port` of each relay as the distributor reaches it (a link's proxy). */
  relays: string[];
  balance?: 'roundrobin' | 'leastconn';
  /** Per relay; 0 lets every connection through, so the relay's own cap answers overflow. */
  maxconnPerRelay?: number;
  /**
   * HTTP checks of each relay's `GET /health` (CONTRACT.md 2.2), for a fault that tests failover.
   * Every relay sits behind a Toxiproxy proxy, which accepts a connection even when the relay
   * behind it is dead, so only a check that waits for an answer can see it. A relay marked down
   * loses its sessions at once (a paused one would hold them). Off by default: without checks the
   * distributor is as in 2016, and nothing but the relays' own caps decides where work goes (F3).
   */
  healthChecks?: boolean;
}

/**
 * The checks' timing, real time at any time scale: a dead relay is out of the rotation within
 * about `fall` × (`inter` + `timeout check`), 0.8 s for a paused one; a busy machine must not
 * miss two answers in a row for a live one.
 */
export const HEALTH_CHECK = { interMs: 100, timeoutMs: 300, fall: 2, rise: 2 } as const;

export const DISTRIBUTOR_PORT = 8200;
export const DISTRIBUTOR_HEALTH_PORT = 8201;

export function haproxyConfig(options: DistributorOptions): string {
  const maxconn = options.maxconnPerRelay ? ` maxconn ${options.maxconnPerRelay}` : '';
  const { interMs, timeoutMs, fall, rise } = HEALTH_CHECK;
  const check = options.healthChecks ? ` check inter ${interMs}ms fall ${fall} rise ${rise} on-marked-down shutdown-sessions` : '';
  return [
    'global',
    // Within a container's default open-file limit (HAProxy needs about 2 descriptors a connection).
    '    maxconn 4000',
    'defaults',
    '    mode tcp',
    '    timeout connect 5s',
    // Longer than any relay timeout at any time scale: the distributor must never be the one that gives up.
    '    timeout client 10m',
    '    timeout server 10m',
    'frontend relays_in',
    `    bind {bind}:${DISTRIBUTOR_PORT}`,
    '    default_backend relays',
    'frontend health',
    '    mode http',
    `    bind {bind}:${DISTRIBUTOR_HEALTH_PORT}`,
    '    monitor-uri /health',
    'backend relays',
    `    balance ${options.balance ?? 'roundrobin'}`,
    ...(options.healthChecks ? ['    option httpchk GET /health', '    http-check expect status 200', `    timeout check ${timeoutMs}ms`] : []),
    ...options.relays.map((relay, index) => `    server relay-${index + 1} ${relay}${maxconn}${check}`),
    '',
  ].join('\n');
}

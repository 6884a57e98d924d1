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
}

export const DISTRIBUTOR_PORT = 8200;
export const DISTRIBUTOR_HEALTH_PORT = 8201;

export function haproxyConfig(options: DistributorOptions): string {
  const maxconn = options.maxconnPerRelay ? ` maxconn ${options.maxconnPerRelay}` : '';
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
    ...options.relays.map((relay, index) => `    server relay-${index + 1} ${relay}${maxconn}`),
    '',
  ].join('\n');
}

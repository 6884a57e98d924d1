import { CONTRACT_DEFAULTS, scaledMs } from '../contract/parameters.ts';
import type { Program } from '../runtime/types.ts';
import { DISTRIBUTOR_HEALTH_PORT, DISTRIBUTOR_PORT, haproxyConfig, type DistributorOptions } from '../topology/haproxy.ts';
import { HARNESS, Topology } from '../topology/topology.ts';
import type { SystemView } from './types.ts';

/**
 * The system of CONTRACT.md 2 for any target: terminals → CS × M → distributor (HAProxy, its
 * configuration written here) → relay × R → card server × C, a Toxiproxy proxy on every hop.
 * Relay r's own card server is ((r-1) mod C)+1; it has a link to every other one too, for
 * failover. A target supplies only what runs as each kind.
 */

export type ComponentKind = 'cs' | 'relay' | 'cardServer';
/** The public-key side (CONTRACT.md 2.5, F11): two more vendors' components, started when a fault asks. */
export type PkiKind = 'ca' | 'scheduler';

export interface KindSpec {
  program: Program;
  port: number;
  /** The kind's own environment, beside the common one and the links. */
  env?: Record<string, string>;
  memoryLimitBytes?: number;
  readyTimeoutMs?: number;
}

export interface SystemShape {
  municipalities: number;
  relays: number;
  cardServers: number;
  /** Given to every component of a kind (parameters, TIME_SCALE, a build's own settings). */
  env: Record<string, string>;
  kinds: Record<ComponentKind, KindSpec>;
  /** The certificate authority's reception server and the job scheduler, when the run needs them. */
  pki?: Record<PkiKind, KindSpec>;
  distributor?: Omit<DistributorOptions, 'relays'>;
}

/** Names of the links, so faults and tests can find each hop. */
export const linkNames = {
  terminal: (municipality: number) => `terminal-${municipality}`,
  csToDistributor: (municipality: number) => `cs-${municipality}-distributor`,
  distributorToRelay: (relay: number) => `distributor-relay-${relay}`,
  /** To the relay's own card server (the name it had when a relay had no other). */
  relayToCardServer: (relay: number) => `relay-${relay}-card-server`,
  /** To another card server than the relay's own. */
  relayToOtherCardServer: (relay: number, cardServer: number) => `relay-${relay}-card-server-${cardServer}`,
  /** The operator's terminal to the job scheduler (jobs submitted, their records read). */
  operatorToScheduler: 'operator-scheduler',
  /** The harness's look at the authority's own records. */
  operatorToCa: 'operator-ca',
  /** The vendor boundary (F11). */
  schedulerToCa: 'scheduler-ca',
  schedulerToCardServer: 'scheduler-card-server',
};

/** Relay r's links to the card servers: its own first, then the others from the next one round. */
function cardServerLinks(relay: number, cardServers: number): Array<{ cardServer: number; link: string }> {
  const own = ((relay - 1) % cardServers) + 1;
  return Array.from({ length: cardServers }, (_, offset) => {
    const cardServer = ((own - 1 + offset) % cardServers) + 1;
    return { cardServer, link: offset === 0 ? linkNames.relayToCardServer(relay) : linkNames.relayToOtherCardServer(relay, cardServer) };
  });
}

/** CONTRACT.md 1: one JSON log line with "event":"ready". */
const ready = { kind: 'log', pattern: /"event":"ready"/ } as const;

export function systemTopology(shape: SystemShape): Topology {
  const { cs, relay, cardServer } = shape.kinds;
  const declare = (kind: KindSpec, env: Record<string, string>) => ({
    program: kind.program,
    ports: [kind.port],
    env: { ...shape.env, ...kind.env, ...env },
    ready,
    ...(kind.memoryLimitBytes !== undefined && { memoryLimitBytes: kind.memoryLimitBytes }),
    ...(kind.readyTimeoutMs !== undefined && { readyTimeoutMs: kind.readyTimeoutMs }),
  });
  const topology = new Topology();
  for (let c = 1; c <= shape.cardServers; c++) topology.component(`card-server-${c}`, () => declare(cardServer, {}));
  for (let r = 1; r <= shape.relays; r++) {
    const links = cardServerLinks(r, shape.cardServers);
    for (const { cardServer: to, link } of links) topology.link(link, { from: `relay-${r}`, to: `card-server-${to}`, port: cardServer.port });
    topology
      .component(`relay-${r}`, (context) =>
        declare(relay, {
          CARD_SERVER: context.link(linkNames.relayToCardServer(r)),
          CARD_SERVERS: links.map(({ link }) => context.link(link)).join(','),
        }),
      )
      .link(linkNames.distributorToRelay(r), { from: 'distributor', to: `relay-${r}`, port: relay.port });
  }
  topology.component('distributor', (context) => ({
    program: {
      executable: 'haproxy',
      args: ['-db', '-f', '{files}/haproxy.cfg'],
      files: [
        {
          name: 'haproxy.cfg',
          content: haproxyConfig({
            ...shape.distributor,
            relays: Array.from({ length: shape.relays }, (_, i) => context.link(linkNames.distributorToRelay(i + 1))),
          }),
        },
      ],
    },
    ports: [DISTRIBUTOR_PORT, DISTRIBUTOR_HEALTH_PORT],
    ready: { kind: 'http', port: DISTRIBUTOR_HEALTH_PORT, path: '/health' },
  }));
  for (let m = 1; m <= shape.municipalities; m++) {
    topology
      .link(linkNames.csToDistributor(m), { from: `cs-${m}`, to: 'distributor', port: DISTRIBUTOR_PORT })
      .component(`cs-${m}`, (context) => declare(cs, { MUNICIPALITY: `m${m}`, DISTRIBUTOR: context.link(linkNames.csToDistributor(m)) }))
      .link(linkNames.terminal(m), { from: HARNESS, to: `cs-${m}`, port: cs.port });
  }
  if (shape.pki) {
    const { ca, scheduler } = shape.pki;
    topology
      .component('ca', () => declare(ca, {}))
      .link(linkNames.operatorToCa, { from: HARNESS, to: 'ca', port: ca.port })
      .link(linkNames.schedulerToCa, { from: 'scheduler', to: 'ca', port: ca.port })
      .link(linkNames.schedulerToCardServer, { from: 'scheduler', to: 'card-server-1', port: cardServer.port })
      .component('scheduler', (context) => declare(scheduler, { CA: context.link(linkNames.schedulerToCa), CARD_SERVER: context.link(linkNames.schedulerToCardServer) }))
      .link(linkNames.operatorToScheduler, { from: HARNESS, to: 'scheduler', port: scheduler.port });
  }
  return topology;
}

/** What the harness is told of such a system: names, ports, declared timing, operator commands, the sheet. */
export function systemView(options: {
  municipalities: number;
  relays: number;
  cardServers: number;
  ports: SystemView['ports'];
  operator: SystemView['operator'];
  timeScale: number;
  parameters: Record<string, string>;
  /** Whether the public-key side runs (CONTRACT.md 2.5). */
  pki?: boolean;
}): SystemView {
  const declared = (name: string) => scaledMs(options.parameters, name, options.timeScale);
  return {
    municipalities: Array.from({ length: options.municipalities }, (_, i) => ({
      cs: `cs-${i + 1}`,
      terminalLink: linkNames.terminal(i + 1),
      csToDistributorLink: linkNames.csToDistributor(i + 1),
    })),
    relays: Array.from({ length: options.relays }, (_, i) => ({
      name: `relay-${i + 1}`,
      distributorLink: linkNames.distributorToRelay(i + 1),
      cardServerLink: linkNames.relayToCardServer(i + 1),
      cardServerLinks: cardServerLinks(i + 1, options.cardServers).map(({ cardServer, link }) => ({ cardServer: `card-server-${cardServer}`, link })),
    })),
    cardServers: Array.from({ length: options.cardServers }, (_, i) => `card-server-${i + 1}`),
    ports: options.ports,
    timing: {
      relayTimeoutMs: declared('RELAY_TIMEOUT_MS'),
      csSearchTimeoutMs: declared('CS_SEARCH_TIMEOUT_MS'),
      csRequestTimeoutMs: declared('CS_REQUEST_TIMEOUT_MS'),
      csBlockMs: declared('CS_BLOCK_MS'),
    },
    operator: options.operator,
    parameters: options.parameters,
    defaults: { ...CONTRACT_DEFAULTS },
    ...(options.pki && {
      pki: { ca: 'ca', scheduler: 'scheduler', caLink: linkNames.operatorToCa, schedulerLink: linkNames.operatorToScheduler, schedulerToCaLink: linkNames.schedulerToCa },
    }),
  };
}

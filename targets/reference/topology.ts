import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HARNESS, Topology } from '../../harness/topology/topology.ts';
import { DISTRIBUTOR_HEALTH_PORT, DISTRIBUTOR_PORT, haproxyConfig, type DistributorOptions } from './distributor.ts';
import { behaviour, type Level } from './lib/levels.ts';

const appDir = path.dirname(fileURLToPath(import.meta.url));

export const CS_PORT = 8100;
export const RELAY_PORT = 8300;
export const CARD_SERVER_PORT = 8400;

export interface ReferenceOptions {
  level: Level;
  /** Municipalities, one CS each. */
  municipalities?: number;
  relays?: number;
  cardServers?: number;
  timeScale?: number;
  /** Parameters for every component (CONTRACT.md 3), as environment values. */
  parameters?: Record<string, string>;
  distributor?: Omit<DistributorOptions, 'relays'>;
}

const ready = { kind: 'log', pattern: /"event":"ready"/ } as const;

/** Names of the links, so faults and tests can find each hop. */
export const linkNames = {
  terminal: (municipality: number) => `terminal-${municipality}`,
  csToDistributor: (municipality: number) => `cs-${municipality}-distributor`,
  distributorToRelay: (relay: number) => `distributor-relay-${relay}`,
  relayToCardServer: (relay: number) => `relay-${relay}-card-server`,
};

/**
 * The 2016 system as a topology: terminals → CS × M → distributor (HAProxy) → relay × R →
 * card server × C, a Toxiproxy proxy on every hop. Relay r talks to card server ((r-1) mod C)+1.
 */
export function referenceTopology(options: ReferenceOptions): Topology {
  const municipalities = options.municipalities ?? 1;
  const relays = options.relays ?? 2;
  const cardServers = options.cardServers ?? 1;
  const common = {
    REFERENCE_LEVEL: options.level,
    TIME_SCALE: String(options.timeScale ?? 1),
    // State that must outlive a restart (the card server's records, the CS's IC chips) lives in
    // the component's own folder: inside its container, or of this run as a process.
    DATA_DIR: '{files}/data',
    IC_DIR: '{files}/ic',
    ...options.parameters,
  };
  const node = (script: string) => ({ executable: 'node' as const, args: [script], appDir });
  const topology = new Topology();

  for (let c = 1; c <= cardServers; c++) {
    topology.component(`card-server-${c}`, () => ({
      program: node('card-server.ts'),
      ports: [CARD_SERVER_PORT],
      env: common,
      ready,
      memoryLimitBytes: behaviour(options.level).cardServerMemoryBytes,
    }));
  }
  for (let r = 1; r <= relays; r++) {
    const cardServer = ((r - 1) % cardServers) + 1;
    topology
      .link(linkNames.relayToCardServer(r), { from: `relay-${r}`, to: `card-server-${cardServer}`, port: CARD_SERVER_PORT })
      .component(`relay-${r}`, (context) => ({
        program: node('relay.ts'),
        ports: [RELAY_PORT],
        env: { ...common, CARD_SERVER: context.link(linkNames.relayToCardServer(r)) },
        ready,
      }))
      .link(linkNames.distributorToRelay(r), { from: 'distributor', to: `relay-${r}`, port: RELAY_PORT });
  }
  topology.component('distributor', (context) => ({
    program: {
      executable: 'haproxy',
      args: ['-db', '-f', '{files}/haproxy.cfg'],
      files: [
        {
          name: 'haproxy.cfg',
          content: haproxyConfig({
            ...options.distributor,
            relays: Array.from({ length: relays }, (_, i) => context.link(linkNames.distributorToRelay(i + 1))),
          }),
        },
      ],
    },
    ports: [DISTRIBUTOR_PORT, DISTRIBUTOR_HEALTH_PORT],
    ready: { kind: 'http', port: DISTRIBUTOR_HEALTH_PORT, path: '/health' },
  }));
  for (let m = 1; m <= municipalities; m++) {
    topology
      .link(linkNames.csToDistributor(m), { from: `cs-${m}`, to: 'distributor', port: DISTRIBUTOR_PORT })
      .component(`cs-${m}`, (context) => ({
        program: node('cs.ts'),
        ports: [CS_PORT],
        env: { ...common, MUNICIPALITY: `m${m}`, DISTRIBUTOR: context.link(linkNames.csToDistributor(m)) },
        ready,
      }))
      .link(linkNames.terminal(m), { from: HARNESS, to: `cs-${m}`, port: CS_PORT });
  }
  return topology;
}

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CARD_SERVER_MEMORY_KEY } from '../../harness/contract/parameters.ts';
import { linkNames, systemTopology } from '../../harness/target/system.ts';
import type { DistributorOptions } from '../../harness/topology/haproxy.ts';
import type { Topology } from '../../harness/topology/topology.ts';
import { behaviour, type Level } from './lib/levels.ts';

export { linkNames };

const appDir = path.dirname(fileURLToPath(import.meta.url));

export const CS_PORT = 8100;
export const RELAY_PORT = 8300;
export const CARD_SERVER_PORT = 8400;
export const CA_PORT = 8500;
export const SCHEDULER_PORT = 8600;

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
  /** The certificate authority's reception server and the job scheduler too (F11). */
  pki?: boolean;
}

/**
 * The parameter sheet of a level: what every component is given, the level's own figures
 * included (so the sheet shows them, N3), then the run's. The card server's memory limit is
 * listed though it is the container's, not an environment value.
 */
export function referenceParameters(level: Level, timeScale: number, parameters: Record<string, string> = {}): Record<string, string> {
  const figures = behaviour(level);
  return {
    TIME_SCALE: String(timeScale),
    // State that must outlive a restart lives in a folder of the run: the CS's IC chips in the
    // component's own; the card servers' records in the run's shared folder, one database for
    // every card server, as instances of one card management service (CONTRACT.md 2.3, F12).
    DATA_DIR: '{shared}/card-server',
    IC_DIR: '{files}/ic',
    CA_DIR: '{files}/ca',
    SCHEDULER_DIR: '{files}/scheduler',
    RELAY_MAX_CONNECTIONS: String(figures.relayMaxConnections),
    HSM_BOARDS: String(figures.hsmBoards),
    CS_CARD_TIME_MS: String(figures.csCardTimeMs),
    [CARD_SERVER_MEMORY_KEY]: String(figures.cardServerMemoryBytes / 2 ** 20),
    ...parameters,
  };
}

/** The 2016 system at one level as a topology (harness/target/system.ts), its programs from this folder. */
export function referenceTopology(options: ReferenceOptions): Topology {
  const { [CARD_SERVER_MEMORY_KEY]: memoryMiB, ...parameters } = referenceParameters(options.level, options.timeScale ?? 1, options.parameters);
  const node = (script: string) => ({ executable: 'node' as const, args: [script], appDir });
  return systemTopology({
    municipalities: options.municipalities ?? 1,
    relays: options.relays ?? 2,
    cardServers: options.cardServers ?? 1,
    env: { REFERENCE_LEVEL: options.level, ...parameters },
    kinds: {
      cs: { program: node('cs.ts'), port: CS_PORT },
      relay: { program: node('relay.ts'), port: RELAY_PORT },
      cardServer: { program: node('card-server.ts'), port: CARD_SERVER_PORT, memoryLimitBytes: Number(memoryMiB) * 2 ** 20 },
    },
    ...(options.pki && { pki: { ca: { program: node('ca.ts'), port: CA_PORT }, scheduler: { program: node('scheduler.ts'), port: SCHEDULER_PORT } } }),
    ...(options.distributor && { distributor: options.distributor }),
  });
}

import type { BuildOptions, TargetBuild, TargetDefinition } from '../../harness/target/types.ts';
import { isLevel, LEVELS } from './lib/levels.ts';
import { CARD_SERVER_PORT, CS_PORT, linkNames, referenceTopology, RELAY_PORT } from './topology.ts';

/** Parameters at time scale 1 that the harness is told about (CONTRACT.md 3). */
const DECLARED = { RELAY_TIMEOUT_MS: 30_000, CS_SEARCH_TIMEOUT_MS: 10_000, CS_REQUEST_TIMEOUT_MS: 60_000, CS_BLOCK_MS: 60_000 };

/** `--target reference@LEVEL`: the 2016 system at one of its patch levels. */
const reference: TargetDefinition = {
  name: 'reference',
  variants: LEVELS,
  build(options: BuildOptions): TargetBuild {
    if (!isLevel(options.variant)) throw new Error(`unknown level ${options.variant}`);
    const declared = (name: keyof typeof DECLARED) => Number(options.parameters[name] ?? DECLARED[name]) / options.timeScale;
    return {
      topology: referenceTopology({
        level: options.variant,
        municipalities: options.municipalities,
        relays: options.relays,
        cardServers: options.cardServers,
        timeScale: options.timeScale,
        parameters: options.parameters,
      }),
      view: {
        municipalities: Array.from({ length: options.municipalities }, (_, i) => ({
          cs: `cs-${i + 1}`,
          terminalLink: linkNames.terminal(i + 1),
          csToDistributorLink: linkNames.csToDistributor(i + 1),
        })),
        relays: Array.from({ length: options.relays }, (_, i) => ({
          name: `relay-${i + 1}`,
          distributorLink: linkNames.distributorToRelay(i + 1),
          cardServerLink: linkNames.relayToCardServer(i + 1),
        })),
        cardServers: Array.from({ length: options.cardServers }, (_, i) => `card-server-${i + 1}`),
        ports: { cs: CS_PORT, relay: RELAY_PORT, cardServer: CARD_SERVER_PORT },
        timing: {
          relayTimeoutMs: declared('RELAY_TIMEOUT_MS'),
          csSearchTimeoutMs: declared('CS_SEARCH_TIMEOUT_MS'),
          csRequestTimeoutMs: declared('CS_REQUEST_TIMEOUT_MS'),
          csBlockMs: declared('CS_BLOCK_MS'),
        },
        operator: { relayPollNow: ['node', 'relay-ctl.ts', 'poll-now'], relayStatus: ['node', 'relay-ctl.ts', 'status'] },
        parameters: { TIME_SCALE: String(options.timeScale), ...options.parameters },
      },
    };
  },
};

export default reference;

import type { BuildOptions, TargetBuild, TargetDefinition } from '../../harness/target/types.ts';
import { systemView } from '../../harness/target/system.ts';
import { FIXES, isLevel, LEVELS } from './lib/levels.ts';
import { CARD_SERVER_PORT, CS_PORT, referenceParameters, referenceTopology, RELAY_PORT } from './topology.ts';

/** `--target reference@LEVEL`: the 2016 system at one of its patch levels. */
const reference: TargetDefinition = {
  name: 'reference',
  variants: LEVELS,
  descriptions: FIXES,
  build(options: BuildOptions): TargetBuild {
    if (!isLevel(options.variant)) throw new Error(`unknown level ${options.variant}`);
    return {
      topology: referenceTopology({
        level: options.variant,
        municipalities: options.municipalities,
        relays: options.relays,
        cardServers: options.cardServers,
        timeScale: options.timeScale,
        parameters: options.parameters,
        ...(options.distributor && { distributor: options.distributor }),
        ...(options.pki && { pki: true }),
      }),
      view: systemView({
        municipalities: options.municipalities,
        relays: options.relays,
        cardServers: options.cardServers,
        ports: { cs: CS_PORT, relay: RELAY_PORT, cardServer: CARD_SERVER_PORT },
        operator: {
          relayPollNow: ['node', 'relay-ctl.ts', 'poll-now'],
          relayStatus: ['node', 'relay-ctl.ts', 'status'],
          relayBatchStart: ['node', 'relay-ctl.ts', 'batch-start'],
          relayBatchStatus: ['node', 'relay-ctl.ts', 'batch-status'],
        },
        timeScale: options.timeScale,
        parameters: referenceParameters(options.variant, options.timeScale, options.parameters),
        ...(options.pki && { pki: true }),
      }),
    };
  },
};

export default reference;

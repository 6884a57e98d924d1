import { CARD_SERVER_MEMORY_KEY } from '../contract/parameters.ts';
import { systemTopology, systemView, type ComponentKind, type KindSpec, type PkiKind } from '../target/system.ts';
import type { BuildOptions, TargetBuild, TargetDefinition } from '../target/types.ts';
import type { TargetConfig } from './schema.ts';

/**
 * A config file's target as a target definition: the system of CONTRACT.md 2 (the same shape,
 * links and names as the reference's) run from the vendor's images. A variant is one of the
 * vendor's builds: its images, parameters, memory limits and environment over the target's.
 */
export function configTarget(config: TargetConfig): TargetDefinition {
  const variants = Object.keys(config.variants);
  return {
    name: config.name,
    variants,
    descriptions: Object.fromEntries(Object.entries(config.variants).map(([name, variant]) => [name, variant.description])),
    build(options: BuildOptions): TargetBuild {
      const variant = config.variants[options.variant];
      if (!variant) throw new Error(`unknown variant ${options.variant} of ${config.name}`);
      const parameters = { ...config.parameters, ...variant.parameters, ...options.parameters };
      // The kinds every target runs are always there; the public-key side may not be.
      const kind = (name: ComponentKind | PkiKind): KindSpec | undefined => {
        const component = config.components[name];
        if (!component) return undefined;
        const memoryMiB = variant.memoryLimitMiB?.[name] ?? component.memoryLimitMiB;
        return {
          program: { image: variant.images?.[name] ?? component.image, argv: component.command },
          port: component.port,
          // The run's parameters last: a fault's operational setting must reach the component.
          env: { ...component.environment, ...variant.environment, ...parameters, TIME_SCALE: String(options.timeScale) },
          ...(memoryMiB !== undefined && { memoryLimitBytes: memoryMiB * 2 ** 20 }),
          ...(component.readyTimeoutS !== undefined && { readyTimeoutMs: component.readyTimeoutS * 1000 }),
        };
      };
      const cardServerMemory = variant.memoryLimitMiB?.cardServer ?? config.components.cardServer.memoryLimitMiB;
      const [ca, scheduler] = [kind('ca'), kind('scheduler')];
      const pki = options.pki && ca && scheduler ? { ca, scheduler } : undefined;
      return {
        topology: systemTopology({
          municipalities: options.municipalities,
          relays: options.relays,
          cardServers: options.cardServers,
          env: {},
          kinds: { cs: kind('cs') as KindSpec, relay: kind('relay') as KindSpec, cardServer: kind('cardServer') as KindSpec },
          ...(pki && { pki }),
          ...(options.distributor && { distributor: options.distributor }),
        }),
        view: systemView({
          municipalities: options.municipalities,
          relays: options.relays,
          cardServers: options.cardServers,
          ports: { cs: config.components.cs.port, relay: config.components.relay.port, cardServer: config.components.cardServer.port },
          operator: config.operator,
          timeScale: options.timeScale,
          ...(pki && { pki: true }),
          parameters: {
            TIME_SCALE: String(options.timeScale),
            ...parameters,
            ...(cardServerMemory !== undefined && { [CARD_SERVER_MEMORY_KEY]: String(cardServerMemory) }),
          },
        }),
      };
    },
  };
}

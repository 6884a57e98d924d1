import type { Topology } from '../topology/topology.ts';

/**
 * What the harness knows of a system under test: names at its interfaces and the parameters it
 * declares (CONTRACT.md). Never how it was built: a variant (a reference level, a vendor build)
 * is an opaque string the harness hands back to the target's own definition.
 */
export interface SystemView {
  municipalities: Array<{ cs: string; terminalLink: string; csToDistributorLink: string }>;
  relays: Array<{ name: string; distributorLink: string; cardServerLink: string }>;
  cardServers: string[];
  ports: { cs: number; relay: number; cardServer: number };
  /** Declared parameters, in real milliseconds at the run's time scale. */
  timing: { relayTimeoutMs: number; csSearchTimeoutMs: number; csRequestTimeoutMs: number; csBlockMs: number };
  /** Operator commands (argv inside the component). */
  operator: { relayPollNow: string[]; relayStatus: string[] };
  /** The parameter sheet as given to the components (for the report, N3). */
  parameters: Record<string, string>;
}

export interface BuildOptions {
  variant: string;
  timeScale: number;
  municipalities: number;
  relays: number;
  cardServers: number;
  parameters: Record<string, string>;
}

export interface TargetBuild {
  topology: Topology;
  view: SystemView;
}

/** A target definition file's default export (the reference's, or a vendor's). */
export interface TargetDefinition {
  name: string;
  variants: readonly string[];
  build(options: BuildOptions): TargetBuild;
}

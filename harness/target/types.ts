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
  /**
   * The parameter sheet (N3): what the components of this run really got, at time scale 1
   * (TIME_SCALE itself as the run's), level- or build-dependent values included.
   */
  parameters: Record<string, string>;
  /** The contract's default of each parameter at time scale 1 (CONTRACT.md 3), to show what differs. */
  defaults?: Record<string, string>;
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
  /** One line per variant: what it has fixed or changed (`ijiwaru targets`). */
  descriptions: Readonly<Record<string, string>>;
  build(options: BuildOptions): TargetBuild;
}

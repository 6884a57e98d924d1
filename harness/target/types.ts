import type { Topology } from '../topology/topology.ts';

/**
 * What the harness knows of a system under test: names at its interfaces and the parameters it
 * declares (CONTRACT.md). Never how it was built: a variant (a reference level, a vendor build)
 * is an opaque string the harness hands back to the target's own definition.
 */
export interface SystemView {
  municipalities: Array<{ cs: string; terminalLink: string; csToDistributorLink: string }>;
  relays: Array<{
    name: string;
    distributorLink: string;
    /** To the relay's own card server (CARD_SERVER). */
    cardServerLink: string;
    /** Every card server the relay has a link to, its own first (CARD_SERVERS); absent in views recorded before relays had more than one. */
    cardServerLinks?: Array<{ cardServer: string; link: string }>;
  }>;
  cardServers: string[];
  ports: { cs: number; relay: number; cardServer: number };
  /** Declared parameters, in real milliseconds at the run's time scale. */
  timing: { relayTimeoutMs: number; csSearchTimeoutMs: number; csRequestTimeoutMs: number; csBlockMs: number };
  /** Operator commands (argv inside the component); the batch commands take their arguments appended (CONTRACT.md 2.2). */
  operator: { relayPollNow: string[]; relayStatus: string[]; relayBatchStart?: string[]; relayBatchStatus?: string[] };
  /**
   * The parameter sheet (N3): what the components of this run really got, at time scale 1
   * (TIME_SCALE itself as the run's), level- or build-dependent values included.
   */
  parameters: Record<string, string>;
  /** The contract's default of each parameter at time scale 1 (CONTRACT.md 3), to show what differs. */
  defaults?: Record<string, string>;
  /**
   * The public-key side (CONTRACT.md 2.5), where the run asked for it and the target has one: the
   * components, the harness's links to each, and the vendor boundary between them.
   */
  pki?: { ca: string; scheduler: string; caLink: string; schedulerLink: string; schedulerToCaLink: string };
}

export interface BuildOptions {
  variant: string;
  timeScale: number;
  municipalities: number;
  relays: number;
  cardServers: number;
  parameters: Record<string, string>;
  /** How the harness's distributor runs (CONTRACT.md 2.4): health checks of the relays for a fault that asks. */
  distributor?: { healthChecks: boolean };
  /** The public-key side too (CONTRACT.md 2.5, F11): started only for a fault that asks. */
  pki?: boolean;
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

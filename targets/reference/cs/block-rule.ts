/**
 * F3/F4: the rule the CS inherited from the registry network, where cutting everything protects
 * the ordering and uniqueness of identity data. One overflow answer or one timed-out search cuts
 * every connection, fails every request in flight and refuses all work for CS_BLOCK_MS. Without
 * the rule only the request that met the trouble fails.
 */
import type { Log } from '../lib/log.ts';

export interface Clock {
  now(): number;
  after(ms: number, run: () => void): void;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  after: (ms, run) => void setTimeout(run, ms),
};

export type Admission =
  | { admitted: true; signal: AbortSignal; release(): void }
  | { admitted: false; retryAfterMs: number };

export type BlockTrigger = 'overflow' | 'search-timeout';

export interface BlockRuleOptions {
  /** Whether the inherited rule runs at all (every reference level but `fixed`). */
  enabled: boolean;
  blockMs: number;
  /** Cuts every pooled connection to the centre. */
  cutConnections: () => void;
  log: Log;
  clock?: Clock;
}

export class BlockRule {
  readonly #options: BlockRuleOptions;
  readonly #clock: Clock;
  readonly #inFlight = new Set<AbortController>();
  #blockedUntil = Number.NEGATIVE_INFINITY;

  constructor(options: BlockRuleOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
  }

  /** Milliseconds until work is accepted again; 0 when not blocked. */
  retryAfterMs(): number {
    return Math.max(0, Math.ceil(this.#blockedUntil - this.#clock.now()));
  }

  /** A terminal request asks to start; its signal aborts if a block cuts it later. */
  admit(): Admission {
    const retryAfterMs = this.retryAfterMs();
    if (retryAfterMs > 0) return { admitted: false, retryAfterMs };
    const controller = new AbortController();
    this.#inFlight.add(controller);
    return { admitted: true, signal: controller.signal, release: () => void this.#inFlight.delete(controller) };
  }

  /** Reports trouble met by one request; true when the rule turned it into a block. */
  trip(trigger: BlockTrigger, correlationId?: string): boolean {
    if (!this.#options.enabled) return false;
    if (this.retryAfterMs() > 0) return true;
    const { blockMs, log } = this.#options;
    this.#blockedUntil = this.#clock.now() + blockMs;
    const cut = [...this.#inFlight];
    this.#inFlight.clear();
    for (const controller of cut) controller.abort(new Error('blocked'));
    this.#options.cutConnections();
    log.line('control', 'block-start', { trigger, requestsCut: cut.length, blockMs: Math.round(blockMs) }, correlationId);
    this.#clock.after(blockMs, () => log.line('control', 'block-end', { trigger }));
    return true;
  }
}

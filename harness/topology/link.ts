import type { Proxy, Toxic, ToxicType } from 'toxiproxy-node-client';

/** Which way a toxic acts: downstream is server → client (Toxiproxy's default), upstream client → server. */
export type Stream = 'upstream' | 'downstream';

/** An applied toxic; removing it twice is harmless. */
export interface AppliedToxic {
  readonly name: string;
  remove(): Promise<void>;
}

/**
 * One link between two endpoints, through its own Toxiproxy proxy. Every toxic has toxicity 1:
 * whether and when a fault applies is decided by the harness from the run's seed, never by
 * Toxiproxy's unseeded generator.
 */
export class LinkHandle {
  readonly name: string;
  readonly #proxy: Proxy;
  readonly #applied = new Set<Toxic<unknown>>();
  #counter = 0;

  constructor(name: string, proxy: Proxy) {
    this.name = name;
    this.#proxy = proxy;
  }

  /** Delay every chunk by `latency` ms ± `jitter` ms. */
  latency(attributes: { latency: number; jitter?: number }, stream: Stream = 'downstream'): Promise<AppliedToxic> {
    return this.#add('latency', stream, { latency: attributes.latency, jitter: attributes.jitter ?? 0 });
  }

  /** Throttle to `rate` KB/s. */
  bandwidth(attributes: { rate: number }, stream: Stream = 'downstream'): Promise<AppliedToxic> {
    return this.#add('bandwidth', stream, attributes);
  }

  /** Hold the close of a connection for `delay` ms. */
  slowClose(attributes: { delay: number }, stream: Stream = 'downstream'): Promise<AppliedToxic> {
    return this.#add('slow_close', stream, attributes);
  }

  /** Stop all data; close after `timeout` ms (0: hold until the toxic is removed). */
  timeout(attributes: { timeout: number }, stream: Stream = 'downstream'): Promise<AppliedToxic> {
    return this.#add('timeout', stream, attributes);
  }

  /** Reset connections (TCP RST) immediately or after `timeout` ms. */
  resetPeer(attributes: { timeout: number } = { timeout: 0 }, stream: Stream = 'downstream'): Promise<AppliedToxic> {
    return this.#add('reset_peer', stream, attributes);
  }

  /** Slice data into chunks of `averageSize` ± `sizeVariation` bytes, `delayMicros` apart. */
  slicer(
    attributes: { averageSize: number; sizeVariation?: number; delayMicros?: number },
    stream: Stream = 'downstream',
  ): Promise<AppliedToxic> {
    return this.#add('slicer', stream, {
      average_size: attributes.averageSize,
      size_variation: attributes.sizeVariation ?? 0,
      delay: attributes.delayMicros ?? 0,
    });
  }

  /** Close a connection once `bytes` have passed. */
  limitData(attributes: { bytes: number }, stream: Stream = 'downstream'): Promise<AppliedToxic> {
    return this.#add('limit_data', stream, attributes);
  }

  /** Take the link down: the listener closes and every open connection through it is closed. */
  async cut(): Promise<void> {
    await this.#setEnabled(false);
  }

  /** Bring the link back up. */
  async heal(): Promise<void> {
    await this.#setEnabled(true);
  }

  /** Remove every toxic and bring the link up: the link as it was at start. */
  async restore(): Promise<void> {
    await Promise.all([...this.#applied].map((toxic) => this.#remove(toxic)));
    await this.heal();
  }

  async #setEnabled(enabled: boolean): Promise<void> {
    await this.#proxy.update({ enabled, listen: this.#proxy.listen, upstream: this.#proxy.upstream });
  }

  async #add(type: ToxicType, stream: Stream, attributes: object): Promise<AppliedToxic> {
    const name = `${type}-${stream}-${++this.#counter}`;
    const toxic = await this.#proxy.addToxic<unknown>({
      name,
      type,
      stream,
      toxicity: 1,
      attributes,
    });
    this.#applied.add(toxic);
    return { name, remove: () => this.#remove(toxic) };
  }

  async #remove(toxic: Toxic<unknown>): Promise<void> {
    if (!this.#applied.delete(toxic)) return;
    await toxic.remove();
  }
}

import type { Proxy, Toxic, ToxicType } from 'toxiproxy-node-client';
import type { InjectionJournal } from './injections.ts';

/** Which way a toxic acts: downstream is server → client (Toxiproxy's default), upstream client → server. */
export type Stream = 'upstream' | 'downstream';

/** An applied toxic; removing it twice is harmless, and `await using` removes it at the end of its scope. */
export interface AppliedToxic extends AsyncDisposable {
  readonly name: string;
  remove(): Promise<void>;
}

/**
 * One link between two endpoints, through its own Toxiproxy proxy. Every toxic has toxicity 1:
 * whether and when a fault applies is decided by the harness from the run's seed, never by
 * Toxiproxy's unseeded generator. Every toxic added or removed and every cut and heal is recorded
 * in the topology's journal.
 */
export class LinkHandle {
  readonly name: string;
  readonly #proxy: Proxy;
  readonly #journal: InjectionJournal;
  readonly #applied = new Map<Toxic<unknown>, string>();
  #counter = 0;
  /** Cut by a fault. */
  #down = false;
  /** Its far end taken down by the harness (harness/topology/refusing.ts): it refuses, as a dead process's port does. */
  #farEndDown = false;

  constructor(name: string, proxy: Proxy, journal: InjectionJournal) {
    this.name = name;
    this.#proxy = proxy;
    this.#journal = journal;
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
    await this.#journal.track(this.name, 'cut', undefined, () => this.#setEnabled(false));
    this.#down = true;
  }

  /** Bring the link back up (it keeps refusing while its far end is down). */
  async heal(): Promise<void> {
    // Bringing up a link that is up is no injection: `restore` does so on every link.
    if (!this.#down) return this.#setEnabled(!this.#farEndDown);
    await this.#journal.track(this.name, 'heal', undefined, () => this.#setEnabled(!this.#farEndDown));
    this.#down = false;
  }

  /**
   * Its far end is down: refuse connections until `farEndUp`. No injection of its own, but part of
   * the component action that took the far end down.
   */
  async farEndDown(): Promise<void> {
    this.#farEndDown = true;
    await this.#setEnabled(false);
  }

  async farEndUp(): Promise<void> {
    this.#farEndDown = false;
    await this.#setEnabled(!this.#down);
  }

  /** Remove every toxic and bring the link up: the link as it was at start. */
  async restore(): Promise<void> {
    await Promise.all([...this.#applied.keys()].map((toxic) => this.#remove(toxic)));
    await this.heal();
  }

  async #setEnabled(enabled: boolean): Promise<void> {
    await this.#proxy.update({ enabled, listen: this.#proxy.listen, upstream: this.#proxy.upstream });
  }

  async #add(type: ToxicType, stream: Stream, attributes: object): Promise<AppliedToxic> {
    const name = `${type}-${stream}-${++this.#counter}`;
    const toxic = await this.#journal.track(this.name, 'toxic-add', { toxic: name, type, stream, attributes }, () =>
      this.#proxy.addToxic<unknown>({ name, type, stream, toxicity: 1, attributes }),
    );
    this.#applied.set(toxic, name);
    const remove = () => this.#remove(toxic);
    return { name, remove, [Symbol.asyncDispose]: remove };
  }

  async #remove(toxic: Toxic<unknown>): Promise<void> {
    const name = this.#applied.get(toxic);
    if (name === undefined) return;
    this.#applied.delete(toxic);
    await this.#journal.track(this.name, 'toxic-remove', { toxic: name }, () => toxic.remove());
  }
}

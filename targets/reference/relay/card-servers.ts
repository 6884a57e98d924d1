import http from 'node:http';
import type { PostResult } from '../lib/http.ts';
import type { Scheduler } from './clock.ts';

/**
 * Where a relay sends each message: its card servers (CARD_SERVERS, its own first), instances of
 * one card management service over one database (CONTRACT.md 2.3).
 *
 * F12: the 2016 relay was pinned to its own card server, and since the development environment
 * had one of each, nobody saw that while that one is down every message the relay takes fails,
 * however many others could serve it. With failover the relay probes each card server's
 * `GET /health`, sends to the first that answered, and when one gives no answer at all tries the
 * next: every op is safe to send again (by its requestId, or because it replaces what it writes).
 */

/** Whether the card server at `address` answered its health query within `timeoutMs`. */
export type Probe = (address: string, timeoutMs: number) => Promise<boolean>;

export interface CardServerOptions {
  /** `host:port` of each card server, the relay's own first. */
  addresses: readonly string[];
  failover: boolean;
  probe: Probe;
  /** From the end of one round of probes to the next. */
  intervalMs: number;
  /** A probe unanswered by then counts as down: a paused card server accepts and says nothing. */
  timeoutMs: number;
  scheduler: Scheduler;
  onChange: (address: string, up: boolean) => void;
}

/** `GET /health` on a connection of its own, so that it never waits behind messages. */
export const healthProbe: Probe = (address, timeoutMs) => {
  const [host, port] = address.split(':');
  return new Promise((resolve) => {
    const request = http.get({ host, port: Number(port), path: '/health', agent: false }, (response) => {
      clearTimeout(timer);
      response.resume();
      resolve(response.statusCode === 200);
    });
    // The whole exchange, name lookup and connection included, not only a silence on the socket.
    const timer = setTimeout(() => request.destroy(), timeoutMs);
    request.on('error', () => {
      clearTimeout(timer);
      resolve(false);
    });
  });
};

/** The error of a request whose answer did not come in time: the card server may still be doing it. */
const NO_ANSWER_IN_TIME = 'ETIMEDOUT';

export class CardServers {
  readonly #options: CardServerOptions;
  readonly #down = new Set<string>();
  #cancel: () => void = () => {};
  #stopped = false;

  constructor(options: CardServerOptions) {
    if (options.addresses.length === 0) throw new Error('a relay needs a card server');
    this.#options = options;
  }

  /** Starts probing, where there is another card server to fail over to. */
  start(): void {
    if (this.#options.failover && this.#options.addresses.length > 1) void this.#round();
  }

  stop(): void {
    this.#stopped = true;
    this.#cancel();
  }

  /** Sends one message with `post`: pinned, to the relay's own; with failover, to each in turn until one answers. */
  async send(post: (address: string) => Promise<PostResult>): Promise<PostResult> {
    const { addresses, failover } = this.#options;
    if (!failover) return post(addresses[0] as string);
    // Those that answered their last probe first; the others still, last, as a probe may be wrong.
    const order = [...addresses.filter((address) => !this.#down.has(address)), ...addresses.filter((address) => this.#down.has(address))];
    let failure: unknown;
    for (const address of order) {
      try {
        return await post(address);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === NO_ANSWER_IN_TIME) throw error;
        this.#mark(address, false);
        failure = error;
      }
    }
    throw failure;
  }

  async #round(): Promise<void> {
    const { addresses, probe, timeoutMs, intervalMs, scheduler } = this.#options;
    await Promise.all(addresses.map(async (address) => this.#mark(address, await probe(address, timeoutMs).catch(() => false))));
    if (!this.#stopped) this.#cancel = scheduler.after(intervalMs, () => void this.#round());
  }

  #mark(address: string, up: boolean): void {
    if (up === !this.#down.has(address)) return;
    if (up) this.#down.delete(address);
    else this.#down.add(address);
    this.#options.onChange(address, up);
  }
}

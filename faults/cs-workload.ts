import type { HarnessClient, Reply } from '../harness/history/client.ts';
import type { Endpoint } from '../harness/runtime/types.ts';
import type { Rng } from '../harness/seed.ts';
import type { Role } from './oracles/cs-block.ts';

/**
 * How long a terminal waits for an answer. Generous on purpose: a transaction that waits for pool
 * connections behind other work must get its answer from the target, however late, rather than be
 * cut off by the harness's impatience on a busy machine.
 */
export const TERMINAL_TIMEOUTS = { headersMs: 20_000, bodyMs: 20_000 };

/** Terminal operations at a CS (CONTRACT.md 2.1), each tagged with its role for the oracle. */
export class Terminal {
  readonly #client: HarnessClient;
  readonly #endpoint: () => Endpoint;
  readonly #target: string;
  readonly #rng: Rng;
  #sequence = 0;

  constructor(client: HarnessClient, target: string, endpoint: () => Endpoint, rng: Rng) {
    this.#client = client;
    this.#target = target;
    this.#endpoint = endpoint;
    this.#rng = rng;
  }

  #requestId(): string {
    return `${this.#target}-${++this.#sequence}-${this.#rng.int(0, 0xffffff).toString(16)}`;
  }

  preIssue(role: Role): Promise<Reply> {
    const cardId = `card-${this.#requestId()}`;
    const requestId = this.#requestId();
    return this.#client.send({
      op: 'pre-issue',
      target: this.#target,
      endpoint: this.#endpoint,
      path: '/pre-issue',
      body: { requestId, cardId, residentCode: `R${this.#rng.int(1000, 9999)}` },
      // The request ID in the history lets the report join a failed request to the target's logs (N2).
      data: { role, cardId, requestId },
    });
  }

  search(role: Role): Promise<Reply> {
    // Drawn in the same order as before (resident, then request ID), so a seed replays the same requests.
    const residentCode = `R${this.#rng.int(1000, 9999)}`;
    const requestId = this.#requestId();
    return this.#client.send({
      op: 'search',
      target: this.#target,
      endpoint: this.#endpoint,
      method: 'GET',
      path: `/search?residentCode=${residentCode}&requestId=${requestId}`,
      data: { role, requestId },
    });
  }

  /** Probes every `everyMs` for `forMs`, to see how long the CS refuses work. */
  async probe(forMs: number, everyMs: number, signal: AbortSignal): Promise<void> {
    const until = performance.now() + forMs;
    while (performance.now() < until && !signal.aborted) {
      await this.search('probe');
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  }
}

export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

import { envelope } from '../../harness/fault-api.ts';
import type { HarnessClient, Reply } from '../../harness/fault-api.ts';
import type { Endpoint } from '../../harness/fault-api.ts';
import type { Rng } from '../../harness/fault-api.ts';

/**
 * How long a terminal waits for an answer. Generous on purpose: a transaction that waits for pool
 * connections behind other work must get its answer from the target, however late, rather than be
 * cut off by the harness's impatience on a busy machine.
 */
export const TERMINAL_TIMEOUTS = { headersMs: 20_000, bodyMs: 20_000 };

/**
 * What a request is in the test: a judge tells work that should survive from the fault's own
 * trigger by it. An `oracle` look at the data while a fault is on is no one's work.
 */
export type Role = 'trigger' | 'innocent' | 'probe' | 'load' | 'work' | 'recovery' | 'oracle';

/** Who moves in (CONTRACT.md 2.1): the card server tells persons apart by name and birth date. */
export interface Person {
  name: string;
  birthDate: string;
}

/** A municipal terminal at one CS (CONTRACT.md 2.1): every operation, each tagged with its role. */
export class Terminal {
  readonly #client: HarnessClient;
  readonly #endpoint: () => Endpoint;
  readonly #target: string;
  readonly #rng: Rng;
  readonly #signal: AbortSignal | undefined;
  #sequence = 0;

  /** `target` names the link the terminal sends through; `endpoint` resolves it at send time. */
  constructor(client: HarnessClient, target: string, endpoint: () => Endpoint, rng: Rng, signal?: AbortSignal) {
    this.#client = client;
    this.#target = target;
    this.#endpoint = endpoint;
    this.#rng = rng;
    this.#signal = signal;
  }

  #requestId(): string {
    return `${this.#target}-${++this.#sequence}-${this.#rng.int(0, 0xffffff).toString(16)}`;
  }

  #post(op: string, path: string, body: Record<string, unknown>, data: Record<string, unknown>): Promise<Reply> {
    return this.#client.send({ op, target: this.#target, endpoint: this.#endpoint, path, body, data, keep: ['status', 'state', 'serial'] }, this.#signal);
  }

  preIssue(role: Role, cardId = `card-${this.#requestId()}`): Promise<Reply> {
    const requestId = this.#requestId();
    // The request ID in the history lets the report join a failed request to the target's logs (N2).
    return this.#post('pre-issue', '/pre-issue', { requestId, cardId, residentCode: `R${this.#rng.int(1000, 9999)}` }, { role, cardId, requestId });
  }

  /** An issue; a `pin` goes in the request body only, never into the history (F17). */
  issue(role: Role, cardId: string, pin?: string): Promise<Reply> {
    const requestId = this.#requestId();
    return this.#post('issue', '/issue', { requestId, cardId, ...(pin !== undefined && { pin }) }, { role, cardId, requestId });
  }

  /** Sends an issue's registration again (the same request ID), where the target offers it. */
  issueComplete(role: Role, cardId: string, requestId: string): Promise<Reply> {
    return this.#post('issue-complete', '/issue/complete', { requestId, cardId }, { role, cardId, requestId });
  }

  search(role: Role): Promise<Reply> {
    // Drawn in the same order as before (resident, then request ID), so a seed replays the same requests.
    const residentCode = `R${this.#rng.int(1000, 9999)}`;
    const requestId = this.#requestId();
    return this.#client.send(
      { op: 'search', target: this.#target, endpoint: this.#endpoint, method: 'GET', path: `/search?residentCode=${residentCode}&requestId=${requestId}`, data: { role, requestId } },
      this.#signal,
    );
  }

  /** A move; with `person`, a move-in that says who moves in, kept in the history for the uniqueness check. */
  move(role: Role, residentCode: string, newAddress: string, person?: Person): Promise<Reply> {
    const requestId = this.#requestId();
    return this.#post('move', '/move', { requestId, residentCode, newAddress, ...(person && { person }) }, { role, requestId, residentCode, ...(person && { person }) });
  }

  /** A certificate change; the addresses stay in the history, so that a judge can compare what was kept. */
  certificateChange(role: Role, cardId: string, oldAddress: string, newAddress: string, data: Record<string, unknown> = {}): Promise<Reply> {
    const requestId = this.#requestId();
    return this.#post('certificate-change', '/certificate-change', { requestId, cardId, oldAddress, newAddress }, { ...data, role, requestId, cardId, oldAddress, newAddress });
  }

  /** The oracle query of the IC card model (`GET /ic/:cardId` at the CS). */
  ic(cardId: string): Promise<Reply> {
    return this.#client.send(
      { op: 'query-ic', target: this.#target, endpoint: this.#endpoint, method: 'GET', path: `/ic/${encodeURIComponent(cardId)}`, data: { role: 'probe', cardId }, keep: ['state', 'digest', 'step'] },
      this.#signal,
    );
  }

  /** Probes with searches every `everyMs` for `forMs`, to see whether and how long the CS refuses work. */
  async probe(forMs: number, everyMs: number, signal: AbortSignal): Promise<void> {
    const until = performance.now() + forMs;
    while (performance.now() < until && !signal.aborted) {
      await this.search('probe');
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  }
}

/** A message straight to a relay (CONTRACT.md 2.2), as a CS would send it. */
export function relayMessage(
  client: HarnessClient,
  relay: string,
  endpoint: () => Endpoint,
  message: { requestId: string; kind: 'control' | 'business'; op: string; payload: Record<string, unknown>; data?: Record<string, unknown> },
  signal?: AbortSignal,
): Promise<Reply> {
  return client.send(
    {
      op: message.op,
      target: relay,
      endpoint,
      path: '/message',
      body: envelope(message.requestId, message.kind, message.op, message.payload),
      data: { requestId: message.requestId, ...message.data },
    },
    signal,
  );
}

/**
 * The card server's oracle query of everyone under a resident code (`GET /persons`), straight to
 * the component. The history keeps the `persons` array whole only while its JSON stays within the
 * client's bound on a kept field (1,000 characters, some ten persons); past it the field is a cut string, which a
 * judge must read as no answer.
 */
export function personsUnder(client: HarnessClient, cardServer: string, endpoint: () => Endpoint, residentCode: string, signal?: AbortSignal): Promise<Reply> {
  return client.send(
    { op: 'query-persons', target: cardServer, endpoint, method: 'GET', path: `/persons?residentCode=${encodeURIComponent(residentCode)}`, data: { role: 'probe', residentCode }, keep: ['persons'] },
    signal,
  );
}

/** The card server's count of one batch's records received (`GET /batches/:batchId`), straight to the component. */
export function batchRecords(client: HarnessClient, cardServer: string, endpoint: () => Endpoint, batchId: string, signal?: AbortSignal, role: Role = 'probe'): Promise<Reply> {
  return client.send(
    { op: 'query-batch', target: cardServer, endpoint, method: 'GET', path: `/batches/${encodeURIComponent(batchId)}`, data: { role, batchId }, keep: ['records'] },
    signal,
  );
}

/** A business message straight to a card server (CONTRACT.md 2.3), as a relay sends it: in clear. */
export function cardServerMessage(
  client: HarnessClient,
  cardServer: string,
  endpoint: () => Endpoint,
  message: { requestId: string; municipality: string; op: string; payload: Record<string, unknown>; data?: Record<string, unknown> },
  signal?: AbortSignal,
): Promise<Reply> {
  const { requestId, municipality, op, payload } = message;
  return client.send({ op, target: cardServer, endpoint, path: '/message', body: { requestId, municipality, op, payload }, data: { requestId, ...message.data } }, signal);
}

/** The card server's oracle query (`GET /cards/:cardId`), straight to the component. */
export function cardRecord(client: HarnessClient, cardServer: string, endpoint: () => Endpoint, cardId: string, signal?: AbortSignal): Promise<Reply> {
  return client.send(
    { op: 'query-card', target: cardServer, endpoint, method: 'GET', path: `/cards/${encodeURIComponent(cardId)}`, data: { role: 'probe', cardId }, keep: ['status', 'icDigest', 'address'] },
    signal,
  );
}

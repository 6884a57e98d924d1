/** The work behind each terminal request of CONTRACT.md 2.1. */
import type { JsonResponse } from '../lib/http.ts';
import { conflict, failure, NOT_FOUND, registrationFailure } from './answers.ts';
import type { Conversion } from './address.ts';
import type { DeferredIssues } from './deferred-issues.ts';
import type { BlockRule } from './block-rule.ts';
import type { Gateway } from './gateway.ts';
import { nextDigest, type IcCard, type IcStore } from './ic-card.ts';
import type { IcWriter } from './ic-writer.ts';

export interface OperationsOptions {
  store: IcStore;
  writer: IcWriter;
  gateway: Gateway;
  rule: BlockRule;
  /** F7: whether the card server takes the same registration twice, so the CS may send it again. */
  idempotentRegistration: boolean;
  /** F10: the conversion the old address of a certificate change passes through. */
  convertAddress: (text: string) => Conversion;
  /** F17: where a failed issue is kept, PIN included, for later entry (absent: never kept). */
  deferredIssues?: DeferredIssues;
}

export type Fields = Record<string, string>;

/** Who moves in, when the terminal says (F16): the CS passes it on to the centre as it is. */
export interface Person {
  name: string;
  birthDate: string;
}

function ok(body: unknown): JsonResponse {
  return { status: 200, body };
}

/** Why a chip in this state cannot take the work asked of it, if it cannot. */
function chipRefusal(card: IcCard, wanted: 'blank-or-written' | 'written'): JsonResponse | undefined {
  if (card.state === 'issued') return conflict('reissue-required', 'ic-already-issued');
  if (card.state === 'broken') return conflict('reissue-required', 'ic-broken');
  if (card.state === 'writing') return conflict('busy', 'ic-being-written');
  if (wanted === 'written' && card.state !== 'written') return conflict('not-pre-issued', card.state);
  return undefined;
}

export class Operations {
  readonly #options: OperationsOptions;
  /** Cards whose chip a request is working on; a chip serves one sequence at a time. */
  readonly #busy = new Set<string>();

  constructor(options: OperationsOptions) {
    this.#options = options;
  }

  #retryAfterMs(): number {
    return this.#options.rule.retryAfterMs();
  }

  async #holdingChip(cardId: string, work: () => Promise<JsonResponse>): Promise<JsonResponse> {
    if (this.#busy.has(cardId)) return conflict('busy', 'ic-in-use');
    this.#busy.add(cardId);
    try {
      return await work();
    } finally {
      this.#busy.delete(cardId);
    }
  }

  async #business(requestId: string, op: string, payload: unknown, signal: AbortSignal): Promise<JsonResponse> {
    const outcome = await this.#options.gateway.send({ requestId, kind: 'business', op, payload }, signal);
    return outcome.kind === 'ok' ? ok(outcome.result) : failure(outcome, op, this.#retryAfterMs());
  }

  preIssue({ requestId, cardId, residentCode }: Fields, signal: AbortSignal): Promise<JsonResponse> {
    const { store, writer, gateway } = this.#options;
    return this.#holdingChip(cardId, async () => {
      const card = store.load(cardId);
      const refusal = card && chipRefusal(card, 'blank-or-written');
      if (refusal) return refusal;
      const exchange = (n: number) =>
        gateway.send({ requestId, kind: 'control', op: 'ic-exchange', payload: { cardId, exchange: n } }, signal);
      const written = await writer.write(cardId, residentCode, exchange, signal, requestId);
      if (!written.ok) return failure(written.failure, 'ic-exchange', this.#retryAfterMs());
      const icDigest = written.card.digest;
      const registered = await gateway.send(
        { requestId, kind: 'business', op: 'register-card', payload: { cardId, residentCode, icDigest } },
        signal,
      );
      if (registered.kind !== 'ok') return failure(registered, 'register-card', this.#retryAfterMs());
      return ok({ cardId, status: 'pre-issued', icDigest });
    });
  }

  issue({ requestId, cardId, pin }: Fields, signal: AbortSignal): Promise<JsonResponse> {
    const { store, deferredIssues } = this.#options;
    return this.#holdingChip(cardId, async () => {
      const card = store.load(cardId);
      if (!card) return NOT_FOUND;
      const refusal = chipRefusal(card, 'written');
      if (refusal) return refusal;
      // The PINs are set on the chip first; from here on the chip is issued whatever the card
      // server hears (F7).
      const issued: IcCard = { ...card, state: 'issued', digest: nextDigest(card.digest, 'pin-set'), issueRequestId: requestId };
      store.save(issued);
      const answer = await this.#register(issued, requestId, signal);
      if (answer.status !== 200 && pin !== undefined) deferredIssues?.keep({ cardId, requestId, pin });
      return answer;
    });
  }

  completeIssue({ requestId, cardId }: Fields, signal: AbortSignal): Promise<JsonResponse> {
    const { store, idempotentRegistration } = this.#options;
    // Sending a registration twice is safe only where the card server recognises the repeat.
    if (!idempotentRegistration) return Promise.resolve({ status: 409, body: { error: 'not-supported' } });
    return this.#holdingChip(cardId, async () => {
      const card = store.load(cardId);
      if (!card) return NOT_FOUND;
      if (card.state !== 'issued') return conflict('not-issued', card.state);
      return this.#register(card, card.issueRequestId ?? requestId, signal);
    });
  }

  async #register(card: IcCard, registrationId: string, signal: AbortSignal): Promise<JsonResponse> {
    const payload = { cardId: card.cardId, icDigest: card.digest, status: 'issued' };
    const outcome = await this.#options.gateway.send({ requestId: registrationId, kind: 'business', op: 'register-update', payload }, signal);
    if (outcome.kind !== 'ok') return registrationFailure(outcome, this.#retryAfterMs());
    return ok({ cardId: card.cardId, status: 'issued' });
  }

  search({ requestId, residentCode }: Fields, signal: AbortSignal): Promise<JsonResponse> {
    return this.#business(requestId, 'search', { residentCode }, signal);
  }

  move({ requestId, residentCode, newAddress }: Fields, signal: AbortSignal, person?: Person): Promise<JsonResponse> {
    return this.#business(requestId, 'move', { residentCode, newAddress, ...(person && { person }) }, signal);
  }

  async certificateChange({ requestId, cardId, oldAddress, newAddress }: Fields, signal: AbortSignal): Promise<JsonResponse> {
    const converted = this.#options.convertAddress(oldAddress);
    if (!converted.ok) return { status: 422, body: { error: 'address-encoding', character: converted.character } };
    return this.#business(requestId, 'certificate-change', { cardId, oldAddress: converted.text, newAddress }, signal);
  }

  /** The chip as an oracle reads it. */
  ic(cardId: string): JsonResponse {
    const card = this.#options.store.load(cardId);
    if (!card) return NOT_FOUND;
    return ok({ state: card.state, digest: card.digest, step: card.step });
  }
}

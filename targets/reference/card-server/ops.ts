import type { JsonResponse } from '../lib/http.ts';
import { photoFor } from './photo.ts';
import type { CardStore } from './store.ts';

/** A business message as the relay forwards it (CONTRACT.md 2.3), payload in clear. */
export interface Message {
  requestId: string;
  municipality: string;
  op: string;
  payload: Record<string, unknown>;
}

/** A message the server cannot read: answered 400 before it takes a slot. */
export class BadRequest extends Error {}

const ok = (result: unknown): JsonResponse => ({ status: 200, body: { result } });
const NOT_FOUND: JsonResponse = { status: 404, body: { error: 'not-found' } };

function text(payload: Record<string, unknown>, name: string, allowEmpty = false): string {
  const value = payload[name];
  if (typeof value !== 'string' || (!allowEmpty && value === '')) throw new BadRequest(`payload.${name} must be a ${allowEmpty ? '' : 'non-empty '}string`);
  return value;
}

/** The person a move-in names, if it names one: a malformed one is a bad request, not an anonymous move. */
function personOf(payload: Record<string, unknown>): { name: string; birthDate: string } | undefined {
  const person = payload.person;
  if (person === undefined) return undefined;
  if (typeof person !== 'object' || person === null || Array.isArray(person)) throw new BadRequest('payload.person must be an object');
  const fields = person as Record<string, unknown>;
  return { name: text(fields, 'name'), birthDate: text(fields, 'birthDate') };
}

function count(payload: Record<string, unknown>, name: string): number {
  const value = payload[name];
  if (!Number.isSafeInteger(value) || (value as number) < 0) throw new BadRequest(`payload.${name} must be a non-negative integer`);
  return value as number;
}

/** F11: the certificates a revocation job marks, its payload's `serials`. */
export function serialsOf(payload: Record<string, unknown>): string[] {
  const serials = payload.serials;
  if (!Array.isArray(serials) || !serials.every((serial) => typeof serial === 'string')) throw new BadRequest('payload.serials must be an array of strings');
  return serials as string[];
}

/** The card server's business operations on its store, one method per op of the contract. */
export class CardOps {
  readonly #store: CardStore;
  readonly #idempotentRegistration: boolean;
  readonly #uniqueIdentityCodes: boolean;
  readonly #now: () => Date;
  readonly #ops: Record<string, (message: Message) => JsonResponse> = {
    'register-card': (message) => this.#registerCard(message),
    'register-update': (message) => this.#registerUpdate(message),
    search: (message) => ok({ cards: this.#store.cardsOf(text(message.payload, 'residentCode')) }),
    move: (message) => this.#move(message),
    'certificate-change': (message) => this.#certificateChange(message),
    'batch-record': (message) => this.#batchRecord(message),
    'batch-commit': (message) => this.#batchCommit(message),
    'revoke-certificates': (message) => ok({ marked: this.#store.markRevoked(serialsOf(message.payload), message.requestId) }),
  };

  constructor(store: CardStore, options: { idempotentRegistration: boolean; uniqueIdentityCodes: boolean; now?: () => Date }) {
    this.#store = store;
    this.#idempotentRegistration = options.idempotentRegistration;
    this.#uniqueIdentityCodes = options.uniqueIdentityCodes;
    this.#now = options.now ?? (() => new Date());
  }

  knows(op: string): boolean {
    return Object.hasOwn(this.#ops, op);
  }

  run(message: Message): JsonResponse {
    const op = this.#ops[message.op];
    if (!op) throw new BadRequest(`unknown op "${message.op}"`);
    return this.#store.transaction(() => op(message));
  }

  #registerCard({ payload }: Message): JsonResponse {
    const cardId = text(payload, 'cardId');
    const residentCode = text(payload, 'residentCode');
    const icDigest = text(payload, 'icDigest');
    const existing = this.#store.card(cardId);
    // A pre-issue repeated (the CS wrote the chip again) replaces the record; an issued card's
    // record is never overwritten by a pre-issue.
    if (existing && existing.status !== 'pre-issued') {
      return { status: 409, body: { error: 'card-exists', reason: `the card is ${existing.status}` } };
    }
    const certificateSerial = existing?.certificateSerial ?? this.#store.newSerial(cardId);
    this.#store.putCard({ cardId, residentCode, status: 'pre-issued', icDigest, certificateSerial, photo: photoFor(cardId) });
    return ok({ cardId, status: 'pre-issued' });
  }

  /**
   * F7. The terminal may send the same registration again after a lost answer. The request ID
   * decides: a request already applied is never applied twice; from 2016-04 its first result is
   * the answer, before that the repeat is refused and the chip and the record stay apart.
   */
  #registerUpdate({ requestId, payload }: Message): JsonResponse {
    const cardId = text(payload, 'cardId');
    const icDigest = text(payload, 'icDigest');
    const status = text(payload, 'status');
    const first = this.#store.requestResult(requestId);
    if (first !== undefined) {
      if (this.#idempotentRegistration) return ok(first);
      return { status: 409, body: { error: 'duplicate-request', reason: 'this requestId was already processed' } };
    }
    if (!this.#store.card(cardId)) return NOT_FOUND;
    this.#store.setRegistration(cardId, icDigest, status);
    const result = { cardId, status };
    this.#store.saveRequest(requestId, 'register-update', result, this.#now().toISOString());
    return ok(result);
  }

  /**
   * F16. A move-in that names its person records them under the code. As launched nothing asks
   * whether someone else already holds the code: a second person is recorded beside the first,
   * and the duplicate stands. The fix refuses it before anything changes.
   */
  #move({ municipality, payload }: Message): JsonResponse {
    const residentCode = text(payload, 'residentCode');
    const newAddress = text(payload, 'newAddress');
    const person = personOf(payload);
    if (person) {
      const holder = this.#store.personsUnder(residentCode).find((other) => other.name !== person.name || other.birthDate !== person.birthDate);
      if (holder && this.#uniqueIdentityCodes) {
        return { status: 409, body: { error: 'identity-conflict', reason: `resident code ${residentCode} is held by another person, recorded at ${holder.municipality}` } };
      }
      this.#store.putPerson(residentCode, { ...person, municipality, address: newAddress });
    }
    return ok({ updated: this.#store.setAddressOf(residentCode, newAddress) });
  }

  #certificateChange({ payload }: Message): JsonResponse {
    const cardId = text(payload, 'cardId');
    text(payload, 'oldAddress', true);
    const newAddress = text(payload, 'newAddress');
    if (!this.#store.card(cardId)) return NOT_FOUND;
    const serial = this.#store.newSerial(cardId);
    this.#store.setCertificate(cardId, newAddress, serial);
    return ok({ serial });
  }

  #batchRecord({ municipality, payload }: Message): JsonResponse {
    const batchId = text(payload, 'batchId');
    const seq = count(payload, 'seq');
    this.#store.putBatchRecord(batchId, seq, municipality, payload.record);
    return ok({ seq });
  }

  /** The "registered" notice goes out only when every record of the batch is here (F9's oracle). */
  #batchCommit({ municipality, payload }: Message): JsonResponse {
    const batchId = text(payload, 'batchId');
    const expected = count(payload, 'count');
    const received = this.#store.batchRecordCount(batchId);
    if (received !== expected) {
      return { status: 409, body: { error: 'batch-incomplete', reason: `received ${received} of ${expected} records` } };
    }
    this.#store.addNotice(municipality, { batchId, count: expected, time: this.#now().toISOString() });
    return ok({ registered: true });
  }
}

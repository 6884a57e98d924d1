/**
 * The pre-issue write of a card's chip: WRITE_STEPS local reads/writes spread over the CS card
 * time, with EXCHANGES command/response exchanges with the centre among them, the chip's state
 * saved after every step. F8 is what becomes of a sequence that stops part way (the CS restarted,
 * an exchange failed): the program of 2016 left the half-written chip as it was, broken; the
 * corrected one retries a failed exchange and otherwise rolls the chip back to blank.
 */
import type { Log } from '../lib/log.ts';
import type { CentreOutcome } from './centre-client.ts';
import { blankCard, EXCHANGES, nextDigest, WRITE_STEPS, type IcCard, type IcStore } from './ic-card.ts';

export type Failure = Exclude<CentreOutcome, { kind: 'ok' }>;
export type WriteResult = { ok: true; card: IcCard } | { ok: false; failure: Failure; card: IcCard };
/** Sends exchange `n` (1..EXCHANGES) of the sequence to the centre. */
export type Exchange = (n: number) => Promise<CentreOutcome>;

export interface IcWriterOptions {
  store: IcStore;
  /** Whether an interrupted sequence is retried or rolled back (`behaviour.icWriteSurvivesRestart`). */
  survivesInterruption: boolean;
  /** CS time for the local reads/writes of one card, as this run lives it. */
  cardTimeMs: number;
  /** Pause before a failed exchange is tried again. */
  retryDelayMs: number;
  /** Tries per exchange where failures are retried. */
  attempts: number;
  log: Log;
  now?: () => number;
}

/** Exchange n (0-based) goes just before this local step, so the 29 spread evenly over the 146. */
function stepOfExchange(n: number): number {
  return Math.floor((n * WRITE_STEPS) / EXCHANGES) + 1;
}

function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, Math.max(0, ms));
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export class IcWriter {
  readonly #options: IcWriterOptions;
  readonly #now: () => number;

  constructor(options: IcWriterOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => performance.now());
  }

  /** At start-up: a chip still marked 'writing' belongs to a sequence that died with the last process. */
  recover(): void {
    for (const card of this.#options.store.all()) {
      if (card.state === 'writing') this.#interrupted(card, 'restart');
    }
  }

  async write(cardId: string, residentCode: string, exchange: Exchange, signal: AbortSignal, correlationId: string): Promise<WriteResult> {
    const { store, cardTimeMs } = this.#options;
    let card: IcCard = { cardId, state: 'writing', step: 0, digest: nextDigest(null, `${cardId}|${residentCode}`) };
    store.save(card);
    const perStep = cardTimeMs / WRITE_STEPS;
    // The local budget is kept apart from the time the centre takes, so slow exchanges do not
    // eat into it and timer granularity does not add up over 146 steps.
    let due = this.#now();
    let sent = 0;
    for (let step = 1; step <= WRITE_STEPS; step++) {
      while (sent < EXCHANGES && stepOfExchange(sent) <= step) {
        const started = this.#now();
        const outcome = await this.#exchange(exchange, sent + 1, signal, correlationId);
        due += this.#now() - started;
        if (outcome.kind !== 'ok') return { ok: false, failure: outcome, card: this.#interrupted(card, outcome.kind, correlationId) };
        sent += 1;
        card = { ...card, digest: nextDigest(card.digest, `exchange-${sent}`) };
        store.save(card);
      }
      due += perStep;
      if (!(await pause(due - this.#now(), signal))) {
        return { ok: false, failure: { kind: 'aborted' }, card: this.#interrupted(card, 'aborted', correlationId) };
      }
      card = { ...card, step, digest: nextDigest(card.digest, `write-${step}`) };
      store.save(card);
    }
    card = { ...card, state: 'written' };
    store.save(card);
    return { ok: true, card };
  }

  async #exchange(exchange: Exchange, n: number, signal: AbortSignal, correlationId: string): Promise<CentreOutcome> {
    const { survivesInterruption, attempts, retryDelayMs, log } = this.#options;
    const tries = survivesInterruption ? Math.max(1, attempts) : 1;
    let outcome: CentreOutcome = { kind: 'aborted' };
    for (let attempt = 1; attempt <= tries; attempt++) {
      outcome = await exchange(n);
      if (outcome.kind === 'ok' || outcome.kind === 'aborted' || attempt === tries) return outcome;
      log.line('control', 'ic-exchange-retry', { exchange: n, attempt, outcome: outcome.kind }, correlationId);
      if (!(await pause(retryDelayMs, signal))) return { kind: 'aborted' };
    }
    return outcome;
  }

  /** The chip of a sequence that stopped part way: broken as 2016 left it, or blank again. */
  #interrupted(card: IcCard, cause: string, correlationId?: string): IcCard {
    const { store, survivesInterruption, log } = this.#options;
    const after: IcCard = survivesInterruption ? blankCard(card.cardId) : { ...card, state: 'broken' };
    store.save(after);
    if (survivesInterruption) log.line('control', 'ic-rolled-back', { cardId: card.cardId, step: card.step, cause }, correlationId);
    else log.line('error', 'ic-broken', { cardId: card.cardId, step: card.step, cause }, correlationId);
    return after;
  }
}

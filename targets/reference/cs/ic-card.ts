/**
 * The IC card model: one chip per card, kept on disk like a card left in the reader, so that it
 * outlives a restart of the CS (F8 needs exactly that).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export type IcState = 'blank' | 'writing' | 'written' | 'issued' | 'broken';

/** Card reads/writes of one pre-issue setting (the records' figure). */
export const WRITE_STEPS = 146;
/** Command/response exchanges with the centre during one pre-issue setting. */
export const EXCHANGES = 29;

export interface IcCard {
  cardId: string;
  state: IcState;
  /** Reads/writes done of WRITE_STEPS. */
  step: number;
  digest: string | null;
  /** The request that issued the card, so a later completion repeats the same registration. */
  issueRequestId?: string;
}

export function blankCard(cardId: string): IcCard {
  return { cardId, state: 'blank', step: 0, digest: null };
}

/** The chip's content hash after one more write; a chain, so any skipped write shows. */
export function nextDigest(previous: string | null, write: string): string {
  return createHash('sha256').update(`${previous ?? ''}|${write}`).digest('hex').slice(0, 32);
}

export class IcStore {
  readonly #dir: string;

  constructor(dir: string) {
    this.#dir = dir;
    mkdirSync(dir, { recursive: true });
  }

  // The appended suffix keeps "." and ".." from naming anything but an ordinary file.
  #file(cardId: string): string {
    return path.join(this.#dir, `${encodeURIComponent(cardId)}.json`);
  }

  load(cardId: string): IcCard | undefined {
    try {
      return JSON.parse(readFileSync(this.#file(cardId), 'utf8')) as IcCard;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  /** Write-then-rename: a crash between two steps leaves the last whole state, never half a file. */
  save(card: IcCard): void {
    const file = this.#file(card.cardId);
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(card));
    renameSync(temporary, file);
  }

  all(): IcCard[] {
    return readdirSync(this.#dir)
      .filter((name) => name.endsWith('.json'))
      .map((name) => this.load(decodeURIComponent(name.slice(0, -'.json'.length))))
      .filter((card): card is IcCard => card !== undefined);
  }
}

/**
 * The card server's connection slots: a fixed number of processing threads, the lowest free one
 * serving the next message. The count is the concurrency cap (CARD_SERVER_MAX_CONNECTIONS).
 */
export class Slots {
  readonly #busy: boolean[];
  #active = 0;

  constructor(capacity: number) {
    this.#busy = Array.from({ length: Math.max(0, Math.floor(capacity)) }, () => false);
  }

  /** The slot that serves the next message, or undefined when every slot is busy (overflow). */
  acquire(): number | undefined {
    const slot = this.#busy.indexOf(false);
    if (slot === -1) return undefined;
    this.#busy[slot] = true;
    this.#active += 1;
    return slot;
  }

  release(slot: number): void {
    if (!this.#busy[slot]) return;
    this.#busy[slot] = false;
    this.#active -= 1;
  }

  get active(): number {
    return this.#active;
  }
}

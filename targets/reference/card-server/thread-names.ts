/**
 * Names of the processing threads (F5). Every business log line carries the name, and the line is
 * written synchronously, so a longer name is a slower message.
 */
export interface ThreadNames {
  /** The name the slot's thread runs under for message number `sequence`. */
  acquire(slot: number, sequence: number, now: number): string;
  released(slot: number, now: number): void;
}

const baseName = (slot: number) => `worker-${slot}`;

/** From 2016-02-26 (reference 2016-03): one short name per slot, whatever the traffic. */
export class ShortThreadNames implements ThreadNames {
  acquire(slot: number): string {
    return baseName(slot);
  }

  released(): void {}
}

/**
 * As launched: a reused thread keeps its previous name and appends the message's sequence number.
 * Only a slot left idle for `idleMs` starts over, so under traffic that never pauses the names
 * grow without bound, and a short test with pauses between requests never sees it.
 */
export class GrowingThreadNames implements ThreadNames {
  readonly #idleMs: number;
  readonly #slots = new Map<number, { name: string; releasedAt: number | undefined }>();

  constructor(idleMs: number) {
    this.#idleMs = idleMs;
  }

  acquire(slot: number, sequence: number, now: number): string {
    const previous = this.#slots.get(slot);
    const reused = previous?.releasedAt !== undefined && now - previous.releasedAt < this.#idleMs;
    const name = reused ? `${previous.name}-${sequence}` : baseName(slot);
    this.#slots.set(slot, { name, releasedAt: undefined });
    return name;
  }

  released(slot: number, now: number): void {
    const current = this.#slots.get(slot);
    if (current) current.releasedAt = now;
  }
}

export function threadNames(shortNames: boolean, idleMs: number): ThreadNames {
  return shortNames ? new ShortThreadNames() : new GrowingThreadNames(idleMs);
}

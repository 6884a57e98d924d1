/**
 * One work area per worker, as the relay's C heap held them. Freeing an area that was never
 * allocated is what the C runtime detects and aborts on; `onInvalidFree` stands for that check
 * (it logs and aborts in the running relay, it records in a unit test).
 */
export class WorkAreas {
  readonly #owners = new Map<number, string>();
  readonly #onInvalidFree: (worker: number, by: string) => void;

  constructor(onInvalidFree: (worker: number, by: string) => void) {
    this.#onInvalidFree = onInvalidFree;
  }

  allocate(worker: number, owner: string): void {
    this.#owners.set(worker, owner);
  }

  ownedBy(worker: number, owner: string): boolean {
    return this.#owners.get(worker) === owner;
  }

  /** `by` is the message whose end handler frees, for the report of an invalid free. */
  free(worker: number, by: string): void {
    if (!this.#owners.delete(worker)) this.#onInvalidFree(worker, by);
  }

  get held(): number {
    return this.#owners.size;
  }
}

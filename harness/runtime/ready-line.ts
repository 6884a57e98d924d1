import type Dockerode from 'dockerode';
import { Wait, type WaitStrategy } from 'testcontainers';

type BoundPorts = Parameters<WaitStrategy['waitUntilReady']>[1];

/**
 * Readiness by the component's ready line, counted from the start of its log: ready once the log
 * holds one more such line than when the strategy was armed. testcontainers' own log wait reads
 * from the container's recorded start time instead, and on a loaded machine the engine records
 * that time after a restarted component has already printed its line, which then never comes.
 */
export class ReadyLine implements WaitStrategy {
  readonly #pattern: RegExp;
  #timeoutMs = 60_000;
  #timeoutSet = false;
  #seen = 0;

  constructor(pattern: RegExp) {
    this.#pattern = new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''));
  }

  /** Ready lines already in `log`: the next wait needs one more (before a restart). */
  arm(log: string): void {
    this.#seen = log.split('\n').filter((line) => this.#pattern.test(line)).length;
  }

  waitUntilReady(container: Dockerode.Container, boundPorts: BoundPorts): Promise<void> {
    // No start time: the whole log, so that the line is counted however the engine timed it.
    return Wait.forLogMessage(this.#pattern, this.#seen + 1).withStartupTimeout(this.#timeoutMs).waitUntilReady(container, boundPorts);
  }

  withStartupTimeout(startupTimeoutMs: number): this {
    this.#timeoutMs = startupTimeoutMs;
    this.#timeoutSet = true;
    return this;
  }

  isStartupTimeoutSet(): boolean {
    return this.#timeoutSet;
  }

  getStartupTimeout(): number {
    return this.#timeoutMs;
  }
}

/**
 * JSON lines on stdout. Three streams as in 2016: control, business, error. Before `fixed` the
 * streams share no field that joins them (F14); at `fixed` every line carries `correlationId`.
 */
import { translateEvent } from './dialect.ts';

export type Stream = 'control' | 'business' | 'error';

export class Log {
  readonly component: string;
  readonly correlated: boolean;
  readonly #write: (line: string) => void;

  constructor(component: string, correlated: boolean, write: (line: string) => void = (line) => void process.stdout.write(line)) {
    this.component = component;
    this.correlated = correlated;
    this.#write = write;
  }

  line(stream: Stream, event: string, fields: Record<string, unknown> = {}, correlationId?: string): void {
    const record: Record<string, unknown> = { time: new Date().toISOString(), component: this.component, stream, event: translateEvent(event), ...fields };
    if (this.correlated && correlationId) record.correlationId = correlationId;
    this.#write(`${JSON.stringify(record)}\n`);
  }

  /** The readiness line every component prints once it listens. */
  ready(port: number): void {
    this.line('control', 'ready', { port });
  }
}

import { behaviour, isLevel, type Behaviour, type Level } from './levels.ts';

/** Reads one component's parameters from its environment (CONTRACT.md lists them). */
export class Env {
  readonly level: Level;
  readonly behaviour: Behaviour;
  /** Every duration at time scale 1 is divided by this. */
  readonly timeScale: number;
  readonly bindHost: string;
  readonly source: NodeJS.ProcessEnv;

  constructor(source: NodeJS.ProcessEnv = process.env) {
    this.source = source;
    const level = source.REFERENCE_LEVEL ?? 'fixed';
    if (!isLevel(level)) throw new Error(`REFERENCE_LEVEL "${level}" is not a reference level`);
    this.level = level;
    this.behaviour = behaviour(level);
    this.timeScale = this.number('TIME_SCALE', 1);
    this.bindHost = source.BIND_HOST ?? '127.0.0.1';
  }

  number(name: string, fallback: number): number {
    const raw = this.source[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0) throw new Error(`${name}="${raw}" is not a non-negative number`);
    return value;
  }

  string(name: string, fallback?: string): string {
    const value = this.source[name] ?? fallback;
    if (value === undefined) throw new Error(`${name} is required`);
    return value;
  }

  /** A duration given at time scale 1 (ms), as this run lives it. */
  scaledMs(name: string, fallbackAtScale1: number): number {
    return this.number(name, fallbackAtScale1) / this.timeScale;
  }
}

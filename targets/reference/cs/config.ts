/** The CS's parameters (CONTRACT.md 3), every duration already divided by TIME_SCALE. */
import path from 'node:path';
import type { Env } from '../lib/env.ts';

export interface CsConfig {
  distributor: string;
  municipality: string;
  poolSize: number;
  blockMs: number;
  searchTimeoutMs: number;
  requestTimeoutMs: number;
  cardTimeMs: number;
  icDir: string;
  /** Pause before a failed ic-exchange is tried again, where the level retries. */
  exchangeRetryMs: number;
  exchangeAttempts: number;
}

export function csConfig(env: Env): CsConfig {
  const municipality = env.string('MUNICIPALITY', 'm1');
  return {
    distributor: env.string('DISTRIBUTOR'),
    municipality,
    poolSize: Math.max(1, Math.floor(env.number('CS_POOL_SIZE', 16))),
    blockMs: env.scaledMs('CS_BLOCK_MS', 60_000),
    searchTimeoutMs: env.scaledMs('CS_SEARCH_TIMEOUT_MS', 10_000),
    requestTimeoutMs: env.scaledMs('CS_REQUEST_TIMEOUT_MS', 60_000),
    cardTimeMs: env.scaledMs('CS_CARD_TIME_MS', env.behaviour.csCardTimeMs),
    // One folder per municipality: CSs started as processes on one host share /tmp, and one
    // CS's start-up recovery must never touch another's chips.
    icDir: path.join(env.string('IC_DIR', '/tmp/ic'), encodeURIComponent(municipality)),
    // Not a contract parameter: only the corrected level retries, and its figures are not in the records.
    exchangeRetryMs: 1000 / env.timeScale,
    exchangeAttempts: 3,
  };
}

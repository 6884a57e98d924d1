/**
 * F17: the provisional operation of January 2016. When a terminal could not reach the centre,
 * staff took the resident's PINs to enter the issue later. This build keeps each failed issue,
 * PIN included, in a file beside the chips and says so in its log: exactly what must never be
 * written down. The reference `fixed` has no such store: a failed issue is simply failed.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Log } from '../lib/log.ts';

export interface DeferredIssue {
  cardId: string;
  requestId: string;
  pin: string;
}

export class DeferredIssues {
  readonly #file: string;
  readonly #log: Log;

  constructor(dir: string, log: Log) {
    mkdirSync(dir, { recursive: true });
    this.#file = path.join(dir, 'deferred-issues.jsonl');
    this.#log = log;
  }

  keep(issue: DeferredIssue): void {
    appendFileSync(this.#file, `${JSON.stringify({ ...issue, at: new Date().toISOString() })}\n`);
    this.#log.line('control', 'issue-deferred', { cardId: issue.cardId, pin: issue.pin, note: 'to be entered once the centre answers' }, issue.requestId);
  }
}

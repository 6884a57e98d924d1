/**
 * One terminal request's way to the centre: the right deadline for the message, and the block
 * rule told about the troubles it reacts to (an overflow answer, a search that timed out).
 */
import type { Log } from '../lib/log.ts';
import type { BlockRule, BlockTrigger } from './block-rule.ts';
import type { CentreClient, CentreMessage, CentreOutcome } from './centre-client.ts';

export interface GatewayOptions {
  centre: CentreClient;
  rule: BlockRule;
  log: Log;
  requestTimeoutMs: number;
  searchTimeoutMs: number;
}

export class Gateway {
  readonly #options: GatewayOptions;

  constructor(options: GatewayOptions) {
    this.#options = options;
  }

  async send(message: CentreMessage, signal: AbortSignal): Promise<CentreOutcome> {
    const { centre, rule, log, requestTimeoutMs, searchTimeoutMs } = this.#options;
    const search = message.op === 'search';
    const outcome = await centre.send(message, search ? searchTimeoutMs : requestTimeoutMs, signal);
    let trigger: BlockTrigger | undefined;
    if (outcome.kind === 'overflow') trigger = 'overflow';
    else if (search && outcome.kind === 'timeout') trigger = 'search-timeout';
    if (!trigger) return outcome;
    log.line('error', trigger === 'overflow' ? 'centre-overflow' : 'search-timeout', { op: message.op }, message.requestId);
    return rule.trip(trigger, message.requestId) ? { kind: 'aborted' } : outcome;
  }
}

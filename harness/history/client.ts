import { Agent, request } from 'undici';
import type { Endpoint } from '../runtime/types.ts';
import type { History, Operation } from './history.ts';
import { classifyError, classifyResponse } from './outcome.ts';

export interface ClientTimeouts {
  connectMs: number;
  headersMs: number;
  bodyMs: number;
}

export interface Call {
  op: string;
  /** The link or component name, as it appears in the history. */
  target: string;
  /** Resolved at send time: a component's endpoint can move when it restarts. */
  endpoint: Endpoint | (() => Endpoint);
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  body?: unknown;
  data?: Record<string, unknown>;
  /** Top-level fields of a JSON answer to keep in the history (each value cut to 1,000 characters of JSON). */
  keep?: readonly string[];
}

export interface Reply {
  operation: Operation;
  /** The response body, when one arrived. */
  body?: string;
}

/** Enough for a short list of records (a code's persons, a ward's notices) to stay whole and judgeable. */
const KEPT_CHARS = 1000;

function keptFields(body: string, fields: readonly string[]): Record<string, unknown> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const kept: Record<string, unknown> = {};
  for (const field of fields) {
    const value = (parsed as Record<string, unknown>)[field];
    if (value === undefined) continue;
    const text = JSON.stringify(value);
    kept[field] = text.length > KEPT_CHARS ? `${text.slice(0, KEPT_CHARS)}…` : value;
  }
  return kept;
}

const DEFAULT_TIMEOUTS: ClientTimeouts = { connectMs: 2000, headersMs: 5000, bodyMs: 5000 };

/**
 * The harness's own HTTP client (undici). Every call is recorded in the history with its outcome;
 * each uses a fresh connection so that a fault on a link or component shows on the request it hit.
 */
export class HarnessClient {
  readonly name: string;
  readonly #history: History;
  readonly #timeouts: ClientTimeouts;
  readonly #agent: Agent;

  constructor(history: History, name: string, timeouts: Partial<ClientTimeouts> = {}) {
    this.name = name;
    this.#history = history;
    this.#timeouts = { ...DEFAULT_TIMEOUTS, ...timeouts };
    this.#agent = new Agent({ connect: { timeout: this.#timeouts.connectMs }, pipelining: 0 });
  }

  /** Sends `call`; `signal` ends the wait early (the request is then recorded as aborted). */
  async send(call: Call, signal?: AbortSignal): Promise<Reply> {
    const controller = new AbortController();
    const stop = () => controller.abort();
    signal?.addEventListener('abort', stop, { once: true });
    if (signal?.aborted) controller.abort();
    const id = this.#history.begin(
      { client: this.name, op: call.op, target: call.target, ...(call.data && { data: call.data }) },
      () => controller.abort(),
    );
    try {
      const endpoint = typeof call.endpoint === 'function' ? call.endpoint() : call.endpoint;
      const response = await request(`http://${endpoint.host}:${endpoint.port}${call.path}`, {
        dispatcher: this.#agent,
        method: call.method ?? (call.body === undefined ? 'GET' : 'POST'),
        ...(call.body !== undefined && {
          body: JSON.stringify(call.body),
          headers: { 'content-type': 'application/json' },
        }),
        headersTimeout: this.#timeouts.headersMs,
        bodyTimeout: this.#timeouts.bodyMs,
        reset: true,
        signal: controller.signal,
      });
      const body = await response.body.text();
      const refusal = /"error"\s*:\s*"([\w-]+)"/.exec(body)?.[1];
      const kept = call.keep && keptFields(body, call.keep);
      const operation = this.#history.complete(id, {
        outcome: classifyResponse(response.statusCode, body),
        status: response.statusCode,
        // The answer's error word, when it has one: it may decorate a summary, never decide a verdict.
        ...(refusal && response.statusCode >= 400 && { code: refusal }),
        ...(kept && { body: kept }),
      });
      return { operation, body };
    } catch (error) {
      return { operation: this.#history.complete(id, classifyError(error)) };
    } finally {
      signal?.removeEventListener('abort', stop);
    }
  }

  async close(): Promise<void> {
    await this.#agent.destroy();
  }
}

import { setTimeout as serviceTime } from 'node:timers/promises';
import { OVERFLOW, type JsonResponse } from '../lib/http.ts';
import type { Log } from '../lib/log.ts';
import { holdMessageBuffer } from './message-buffer.ts';
import { BadRequest, serialsOf, type CardOps, type Message } from './ops.ts';

/** A revocation job's marks (F11): a quarter of a message's service time per certificate. */
const REVOCATION_OP = 'revoke-certificates';
const SERVICE_PER_SERIAL = 0.25;
import type { Slots } from './slots.ts';
import type { ThreadNames } from './thread-names.ts';

export interface MessageSettings {
  /** Service time of one business message, ms as this run lives it. */
  serviceMs: number;
  /**
   * F11, fixed 2016-09: a revocation job's marks are served like any message. Before, the job
   * held the server while it ran, so card work that came meanwhile was refused as an overflow.
   */
  revocationYields: boolean;
  bufferBytes: number;
  /** What a synchronous log write costs per KiB of line, ms as this run lives it (F5). */
  logWriteMsPerKiB: number;
  /** Monotonic clock for the thread names' idle rule. */
  now?: () => number;
}

function envelope(body: Record<string, unknown>): Message {
  const { requestId, municipality, op, payload } = body;
  if (typeof requestId !== 'string' || requestId === '') throw new BadRequest('requestId must be a non-empty string');
  if (typeof municipality !== 'string') throw new BadRequest('municipality must be a string');
  if (typeof op !== 'string') throw new BadRequest('op must be a string');
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) throw new BadRequest('payload must be an object');
  return { requestId, municipality, op, payload: payload as Record<string, unknown> };
}

function failure(error: unknown): JsonResponse {
  if (error instanceof BadRequest) return { status: 400, body: { error: 'bad-request', reason: error.message } };
  return { status: 500, body: { error: 'internal', message: (error as Error).message } };
}

/**
 * One business message from admission to answer: a slot (or overflow), the slot's thread name,
 * the held buffer, the service time, the operation, the log line, and the slot given back.
 */
export class MessageService {
  readonly #slots: Slots;
  readonly #names: ThreadNames;
  readonly #ops: CardOps;
  readonly #log: Log;
  readonly #settings: MessageSettings;
  readonly #now: () => number;
  /** Each busy slot's buffer, referenced here so nothing can collect it before the answer. */
  readonly #held = new Map<number, Buffer>();
  readonly #stopping = new AbortController();
  #sequence = 0;
  /** Revocation jobs in service that hold the server (F11, before 2016-09): every other message is refused meanwhile. */
  #holding = 0;

  constructor(parts: { slots: Slots; names: ThreadNames; ops: CardOps; log: Log }, settings: MessageSettings) {
    this.#slots = parts.slots;
    this.#names = parts.names;
    this.#ops = parts.ops;
    this.#log = parts.log;
    this.#settings = settings;
    this.#now = settings.now ?? (() => performance.now());
  }

  get active(): number {
    return this.#slots.active;
  }

  async handle(body: Record<string, unknown>): Promise<JsonResponse> {
    let message: Message;
    try {
      message = envelope(body);
      if (!this.#ops.knows(message.op)) throw new BadRequest(`unknown op "${String(body.op)}"`);
    } catch (error) {
      const reply = failure(error);
      this.#logError(typeof body.op === 'string' ? body.op : undefined, reply, typeof body.requestId === 'string' ? body.requestId : undefined);
      return reply;
    }
    const slot = this.#holding > 0 ? undefined : this.#slots.acquire();
    if (slot === undefined) {
      this.#log.line('error', 'overflow', { op: message.op, active: this.#slots.active }, message.requestId);
      return OVERFLOW;
    }
    const sequence = ++this.#sequence;
    const thread = this.#names.acquire(slot, sequence, this.#now());
    this.#held.set(slot, holdMessageBuffer(this.#settings.bufferBytes, sequence));
    const revocation = message.op === REVOCATION_OP;
    const holds = revocation && !this.#settings.revocationYields;
    if (holds) this.#holding += 1;
    let reply: JsonResponse;
    try {
      const units = revocation ? Math.max(1, serialsOf(message.payload).length * SERVICE_PER_SERIAL) : 1;
      await serviceTime(this.#settings.serviceMs * units, undefined, { signal: this.#stopping.signal });
      reply = this.#ops.run(message);
    } catch (error) {
      reply = failure(error);
    } finally {
      if (holds) this.#holding -= 1;
    }
    // Written while the slot is still held: the write's cost is part of the message's time (F5).
    this.#log.line('business', 'message', { op: message.op, requestId: message.requestId, municipality: message.municipality, thread, status: reply.status }, message.requestId);
    // The 2016 log device's cost grows with the line, and the thread name is what grows.
    const writeMs = (this.#settings.logWriteMsPerKiB * Buffer.byteLength(thread)) / 1024;
    if (writeMs >= 0.5) await serviceTime(writeMs, undefined, { signal: this.#stopping.signal }).catch(() => undefined);
    if (reply.status !== 200) this.#logError(message.op, reply, message.requestId);
    this.#held.delete(slot);
    this.#names.released(slot, this.#now());
    this.#slots.release(slot);
    return reply;
  }

  /** Ends every service time now, so that a stopping server keeps no timer alive. */
  stop(): void {
    this.#stopping.abort();
  }

  // Error lines carry neither the request ID nor the thread: before the fix only the
  // correlation ID joins them to the business stream (F14).
  #logError(op: string | undefined, reply: JsonResponse, requestId: string | undefined): void {
    const body = reply.body as { error?: unknown; reason?: unknown; message?: unknown };
    this.#log.line('error', String(body.error ?? 'error'), { op, status: reply.status, reason: body.reason ?? body.message }, requestId);
  }
}

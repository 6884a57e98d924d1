import { decrypt, encrypt } from '../lib/cipher.ts';
import { OVERFLOW, type JsonRequest, type JsonResponse, type PostResult } from '../lib/http.ts';
import type { Log } from '../lib/log.ts';
import { HsmInterrupted, type Hsm } from './hsm.ts';
import type { WorkerPool } from './workers.ts';

/**
 * POST /message: the envelope from a CS. Each message holds a worker for its whole life: work
 * area, timer, HSM decrypt, the card server, HSM encrypt, reset, free. A control `ic-exchange`
 * stops after its one HSM operation and is answered by the relay itself.
 */
export interface MessageDeps {
  pool: WorkerPool;
  hsm: Hsm;
  forward: (body: Record<string, unknown>) => Promise<PostResult>;
  log: Log;
}

interface Envelope {
  requestId: string;
  municipality: string;
  kind: 'control' | 'business';
  op: string;
  payload: string;
}

class BadPayload extends Error {}

const TIMEOUT: JsonResponse = { status: 504, body: { error: 'timeout', where: 'relay' } };

/** The envelope, or the 400 answer that refuses it. */
function envelope(body: Record<string, unknown>): Envelope | JsonResponse {
  const { requestId, municipality, kind, op, payload } = body;
  const missing = (field: string): JsonResponse => ({ status: 400, body: { error: 'bad-request', missing: field } });
  if (typeof requestId !== 'string' || !requestId) return missing('requestId');
  if (typeof municipality !== 'string') return missing('municipality');
  if (kind !== 'control' && kind !== 'business') return missing('kind');
  if (typeof op !== 'string' || !op) return missing('op');
  if (typeof payload !== 'string') return missing('payload');
  // The only control message the relay answers itself; it has no other to forward.
  if (kind === 'control' && op !== 'ic-exchange') return { status: 400, body: { error: 'bad-request', reason: `unknown control op ${op}` } };
  return { requestId, municipality, kind, op, payload };
}

function open(payload: string): unknown {
  try {
    return decrypt(payload);
  } catch (error) {
    throw new BadPayload((error as Error).message);
  }
}

function outcome(reply: JsonResponse): string {
  if (reply.status === 200) return 'ok';
  const error = (reply.body as { error?: unknown }).error;
  return typeof error === 'string' ? error : `status-${reply.status}`;
}

export function messageHandler(deps: MessageDeps): (request: JsonRequest) => Promise<JsonResponse> {
  const { pool, hsm, forward, log } = deps;
  let exchanges = 0;

  async function relay(message: Envelope): Promise<JsonResponse> {
    try {
      if (message.op === 'ic-exchange') {
        // The CS numbers its exchanges; the answer names the one it answers.
        const sealed = await hsm.run(() => {
          const asked = (open(message.payload) as { exchange?: unknown } | null)?.exchange;
          exchanges++;
          return encrypt({ exchange: typeof asked === 'number' ? asked : exchanges });
        });
        return { status: 200, body: { result: sealed } };
      }
      const clear = await hsm.run(() => open(message.payload));
      let answer: PostResult;
      try {
        answer = await forward({ requestId: message.requestId, municipality: message.municipality, op: message.op, payload: clear });
      } catch (error) {
        return { status: 502, body: { error: 'upstream', code: (error as NodeJS.ErrnoException).code ?? 'EUNKNOWN' } };
      }
      // The card server's refusals travel back as they are: every hop reads the same table.
      if (answer.status !== 200) return { status: answer.status, body: answer.body, close: answer.body.error === 'overflow' };
      const sealed = await hsm.run(() => encrypt(answer.body.result));
      return { status: 200, body: { result: sealed } };
    } catch (error) {
      if (error instanceof HsmInterrupted) return { status: 503, body: { error: 'hsm-interrupted' } };
      if (error instanceof BadPayload) return { status: 400, body: { error: 'bad-request', reason: `payload: ${error.message}` } };
      throw error;
    }
  }

  function run(message: Envelope): Promise<JsonResponse> {
    return new Promise((resolve, reject) => {
      const running = pool.begin(message.requestId, () => resolve(TIMEOUT));
      if (!running) return resolve(OVERFLOW);
      relay(message).then(
        (reply) => {
          if (running.complete()) resolve(reply);
          else log.line('business', 'late-completion-discarded', { requestId: message.requestId, worker: running.worker }, message.requestId);
        },
        (error: unknown) => {
          if (running.complete()) reject(error as Error);
        },
      );
    });
  }

  return async (request) => {
    const message = envelope(request.body);
    if ('status' in message) return message;
    const started = performance.now();
    const reply = await run(message);
    const { requestId, municipality, kind, op } = message;
    const fields = { requestId, municipality, kind, op, outcome: outcome(reply), status: reply.status, ms: Math.round(performance.now() - started) };
    log.line('business', 'message', fields, requestId);
    return reply;
  };
}

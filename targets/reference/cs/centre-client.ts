/**
 * The CS's side of the link to the centre: a kept-alive pool of CS_POOL_SIZE connections to the
 * distributor, the message envelope with its encrypted payload, and a deadline per message.
 */
import http from 'node:http';
import { decrypt, encrypt } from '../lib/cipher.ts';
import { diesOnFailedExchange } from '../lib/quirk.ts';

export type MessageKind = 'control' | 'business';

export interface CentreMessage {
  requestId: string;
  kind: MessageKind;
  op: string;
  payload: unknown;
}

/** What became of one message; the caller decides what each means for its terminal. */
export type CentreOutcome =
  | { kind: 'ok'; result: unknown }
  | { kind: 'overflow' }
  | { kind: 'timeout' }
  /** The centre answered with an error of the contract's table other than overflow. */
  | { kind: 'refused'; status: number; body: Record<string, unknown> }
  | { kind: 'network'; code: string }
  /** Given up by this CS (the block rule cut it), not by the centre. */
  | { kind: 'aborted' };

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

export class CentreClient {
  readonly #distributor: string;
  readonly #municipality: string;
  readonly #poolSize: number;
  #agent: http.Agent;

  constructor(options: { distributor: string; municipality: string; poolSize: number }) {
    this.#distributor = options.distributor;
    this.#municipality = options.municipality;
    this.#poolSize = options.poolSize;
    this.#agent = this.#newAgent();
  }

  #newAgent(): http.Agent {
    return new http.Agent({ keepAlive: true, maxSockets: this.#poolSize });
  }

  /** Destroys every pooled connection, busy or idle; later messages open fresh ones. */
  cutAll(): void {
    this.#agent.destroy();
    this.#agent = this.#newAgent();
  }

  async send(message: CentreMessage, timeoutMs: number, signal: AbortSignal): Promise<CentreOutcome> {
    const outcome = await this.#exchange(message, timeoutMs, signal);
    if (diesOnFailedExchange(outcome)) process.exit(70);
    return outcome;
  }

  async #exchange(message: CentreMessage, timeoutMs: number, signal: AbortSignal): Promise<CentreOutcome> {
    // The deadline covers the wait for a pooled connection too: a saturated pool is part of
    // what the terminal waits for.
    const deadline = AbortSignal.timeout(Math.max(1, Math.round(timeoutMs)));
    const envelope = {
      requestId: message.requestId,
      municipality: this.#municipality,
      kind: message.kind,
      op: message.op,
      payload: encrypt(message.payload),
    };
    let answer: Answer;
    try {
      answer = await this.#post(envelope, AbortSignal.any([signal, deadline]));
    } catch (error) {
      if (signal.aborted) return { kind: 'aborted' };
      if (deadline.aborted) return { kind: 'timeout' };
      return { kind: 'network', code: (error as NodeJS.ErrnoException).code ?? 'EUNKNOWN' };
    }
    if (answer.status === 200) {
      const sealed = answer.body.result;
      try {
        return { kind: 'ok', result: typeof sealed === 'string' ? decrypt(sealed) : sealed };
      } catch {
        return { kind: 'network', code: 'EBADRESULT' };
      }
    }
    if (answer.status === 503 && answer.body.error === 'overflow') return { kind: 'overflow' };
    return { kind: 'refused', status: answer.status, body: answer.body };
  }

  #post(body: unknown, signal: AbortSignal): Promise<Answer> {
    const [host, port] = this.#distributor.split(':');
    const payload = JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const request = http.request(
        {
          agent: this.#agent,
          host,
          port: Number(port),
          path: '/message',
          method: 'POST',
          signal,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            try {
              resolve({ status: response.statusCode ?? 0, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} });
            } catch {
              resolve({ status: response.statusCode ?? 0, body: { error: 'unparsable', text } });
            }
          });
          response.on('error', reject);
          response.on('close', () => {
            if (!response.complete) reject(Object.assign(new Error('answer cut short'), { code: 'ECONNRESET' }));
          });
        },
      );
      request.on('error', reject);
      request.end(payload);
    });
  }
}

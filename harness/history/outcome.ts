/**
 * The closed set of outcomes a request can end in. Classified from what the client saw on the
 * wire (undici's error codes, the status line, the body), never from what the target says it did.
 */
export const OUTCOMES = [
  'ok',
  'refused',
  'reset',
  'closed',
  'timeout-connect',
  'timeout-headers',
  'timeout-body',
  'overflow',
  'server-error',
  'client-error',
  'aborted',
  'other',
] as const;

export type Outcome = (typeof OUTCOMES)[number];

const BY_CODE: Record<string, Outcome> = {
  ECONNREFUSED: 'refused',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  UND_ERR_SOCKET: 'closed',
  UND_ERR_CONNECT_TIMEOUT: 'timeout-connect',
  UND_ERR_HEADERS_TIMEOUT: 'timeout-headers',
  UND_ERR_BODY_TIMEOUT: 'timeout-body',
  UND_ERR_ABORTED: 'aborted',
  ABORT_ERR: 'aborted',
};

/** The innermost error code along the `cause` chain (fetch wraps undici's errors). */
export function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  let code: string | undefined;
  for (let depth = 0; current && depth < 5; depth++) {
    const candidate = (current as { code?: unknown }).code;
    if (typeof candidate === 'string') code = candidate;
    current = (current as { cause?: unknown }).cause;
  }
  return code;
}

export function classifyError(error: unknown): { outcome: Outcome; code: string } {
  const code = errorCode(error) ?? (error as Error)?.name ?? 'unknown';
  return { outcome: BY_CODE[code] ?? (code === 'AbortError' ? 'aborted' : 'other'), code };
}

/**
 * The overflow answer of the target contract is HTTP 503 with a JSON body whose `error` is
 * "overflow": a refusal by design, told apart from a failure.
 */
export function classifyResponse(status: number, body: string): Outcome {
  if (status === 503 && /"error"\s*:\s*"overflow"/.test(body)) return 'overflow';
  if (status >= 500) return 'server-error';
  if (status >= 400) return 'client-error';
  return 'ok';
}

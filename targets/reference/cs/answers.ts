/** The CS's answers to its terminals, in the words of the contract's table (CONTRACT.md 1). */
import { OVERFLOW, type JsonResponse } from '../lib/http.ts';
import type { CentreOutcome } from './centre-client.ts';

export function blocked(retryAfterMs: number): JsonResponse {
  return { status: 503, body: { error: 'blocked', retryAfterMs } };
}

export function conflict(error: string, reason: string): JsonResponse {
  return { status: 409, body: { error, reason } };
}

export const NOT_FOUND: JsonResponse = { status: 404, body: { error: 'not-found' } };

export function badRequest(missing: string): JsonResponse {
  return { status: 400, body: { error: 'bad-request', missing } };
}

export function upstream(code: string, detail?: Record<string, unknown>): JsonResponse {
  return { status: 502, body: { error: 'upstream', code, ...(detail && { upstream: detail }) } };
}

/**
 * A message that did not come back done. The centre's own error answers pass through as they
 * are; a timer of the CS that ran out is the next hop's failure, except a search's (504 search).
 */
export function failure(outcome: Exclude<CentreOutcome, { kind: 'ok' }>, op: string, retryAfterMs: number): JsonResponse {
  switch (outcome.kind) {
    case 'aborted':
      return blocked(retryAfterMs);
    case 'overflow':
      return OVERFLOW;
    case 'timeout':
      return op === 'search' ? { status: 504, body: { error: 'timeout', where: 'search' } } : upstream('ETIMEDOUT');
    case 'refused':
      return { status: outcome.status, body: outcome.body };
    case 'network':
      return upstream(outcome.code);
  }
}

/**
 * A registration that failed after the chip was already changed: whatever the centre said, the
 * terminal learns that the next hop failed (the card server and the chip may now disagree, F7).
 */
export function registrationFailure(outcome: Exclude<CentreOutcome, { kind: 'ok' }>, retryAfterMs: number): JsonResponse {
  switch (outcome.kind) {
    case 'aborted':
    case 'overflow':
      return failure(outcome, 'register-update', retryAfterMs);
    case 'timeout':
      return upstream('ETIMEDOUT');
    case 'network':
      return upstream(outcome.code);
    case 'refused':
      return upstream(`HTTP_${outcome.status}`, outcome.body);
  }
}

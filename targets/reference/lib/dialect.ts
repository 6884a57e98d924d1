/**
 * A knob for the harness's own tests, not a 2016 level: `ANSWER_DIALECT=acme` makes the reference
 * answer and log like another vendor's build with the same behaviour: other status codes, other
 * error words, other log event names. The harness must reach the same verdicts on it, since it
 * judges harm by its effect on the work, never by the reference's words.
 */
import type { JsonResponse } from './http.ts';

const ACME = (process.env.ANSWER_DIALECT ?? '') === 'acme';

/** Error words as acme's numbered faults. */
function code(word: string): string {
  let hash = 7;
  for (const char of word) hash = (hash * 31 + char.charCodeAt(0)) % 9000;
  return `ACME-${1000 + hash}`;
}

/**
 * An answer as acme words it: every refusal a 500 (a server-side one) or a 400 (a request-side
 * one) with `{fault: {code}}` and no `error` field. `keep` names the answers that stay in the
 * contract's words: those another component of the same build reads (the relay's overflow).
 */
export function translateAnswer(reply: JsonResponse, keep: readonly string[] = []): JsonResponse {
  if (!ACME || reply.status < 400) return reply;
  const word = String((reply.body as { error?: unknown } | null)?.error ?? reply.status);
  if (keep.includes(word)) return reply;
  return { ...reply, status: reply.status >= 500 ? 500 : 400, body: { fault: { code: code(word) } } };
}

/** A log event as acme names it; readiness keeps the contract's word, which the harness waits for. */
export function translateEvent(event: string): string {
  return ACME && event !== 'ready' ? `acme.${code(event).toLowerCase()}` : event;
}

/**
 * The terminal API of CONTRACT.md 2.1: which request does what, which fields it needs, and the
 * block rule's admission around every piece of terminal work. Oracle queries (/ic, /health) are
 * not terminal work: a block does not hide the chips from the harness.
 */
import { randomUUID } from 'node:crypto';
import type { Handler, JsonRequest, JsonResponse } from '../lib/http.ts';
import type { Log } from '../lib/log.ts';
import { badRequest, blocked, NOT_FOUND } from './answers.ts';
import type { BlockRule } from './block-rule.ts';
import type { Fields, Operations } from './operations.ts';

type Work = (fields: Fields, signal: AbortSignal) => Promise<JsonResponse>;

interface Route {
  op: string;
  fields: readonly string[];
  work: Work;
}

function routes(ops: Operations): Map<string, Route> {
  const route = (method: string, path: string, fields: readonly string[], work: Work): [string, Route] => [
    `${method} ${path}`,
    { op: path.slice(1), fields, work },
  ];
  return new Map([
    route('POST', '/pre-issue', ['requestId', 'cardId', 'residentCode'], (f, s) => ops.preIssue(f, s)),
    route('POST', '/issue', ['requestId', 'cardId'], (f, s) => ops.issue(f, s)),
    route('POST', '/issue/complete', ['requestId', 'cardId'], (f, s) => ops.completeIssue(f, s)),
    route('GET', '/search', ['requestId', 'residentCode'], (f, s) => ops.search(f, s)),
    route('POST', '/move', ['requestId', 'residentCode', 'newAddress'], (f, s) => ops.move(f, s)),
    route('POST', '/certificate-change', ['requestId', 'cardId', 'oldAddress', 'newAddress'], (f, s) => ops.certificateChange(f, s)),
  ]);
}

function fieldsOf(request: JsonRequest, names: readonly string[]): { fields: Fields } | { refusal: JsonResponse } {
  const source: Record<string, unknown> =
    request.method === 'GET' ? { requestId: randomUUID(), ...Object.fromEntries(request.query) } : request.body;
  const fields: Fields = {};
  for (const name of names) {
    const value = source[name];
    if (typeof value !== 'string' || value === '') return { refusal: badRequest(name) };
    fields[name] = value;
  }
  return { fields };
}

function outcomeOf(answer: JsonResponse): string {
  if (answer.status === 200) return 'ok';
  const error = (answer.body as { error?: unknown } | null)?.error;
  return typeof error === 'string' ? error : `http-${answer.status}`;
}

export function terminalHandler(ops: Operations, rule: BlockRule, log: Log): Handler {
  const table = routes(ops);

  /** Runs one piece of terminal work; a block that cuts it answers for it at once. */
  async function admitted(route: Route, fields: Fields): Promise<JsonResponse> {
    const admission = rule.admit();
    if (!admission.admitted) return blocked(admission.retryAfterMs);
    const { signal } = admission;
    try {
      const work = route.work(fields, signal).catch(
        (error: unknown): JsonResponse => ({ status: 500, body: { error: 'internal', message: (error as Error).message } }),
      );
      const cut = new Promise<JsonResponse>((resolve) =>
        signal.addEventListener('abort', () => resolve(blocked(rule.retryAfterMs())), { once: true }),
      );
      return await Promise.race([work, cut]);
    } finally {
      admission.release();
    }
  }

  return async (request) => {
    if (request.method === 'GET' && request.path === '/health') return { status: 200, body: { status: 'ok' } };
    const ic = /^\/ic\/([^/]+)$/.exec(request.path);
    if (request.method === 'GET' && ic) return ops.ic(decodeURIComponent(ic[1] ?? ''));
    const route = table.get(`${request.method} ${request.path}`);
    if (!route) return NOT_FOUND;
    const parsed = fieldsOf(request, route.fields);
    if ('refusal' in parsed) return parsed.refusal;
    const answer = await admitted(route, parsed.fields);
    const requestId = parsed.fields.requestId;
    log.line('business', 'request', { op: route.op, requestId, status: answer.status, outcome: outcomeOf(answer) }, requestId);
    return answer;
  };
}

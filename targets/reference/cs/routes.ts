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
import type { Fields, Operations, Person } from './operations.ts';

type Work = (fields: Fields, signal: AbortSignal, person: Person | undefined) => Promise<JsonResponse>;

interface Route {
  op: string;
  fields: readonly string[];
  /** Fields the request may carry (an issue's PIN). */
  optional?: readonly string[];
  /** The request may name a person (a move-in, F16). */
  person?: true;
  work: Work;
}

interface Parsed {
  fields: Fields;
  person?: Person;
}

function routes(ops: Operations): Map<string, Route> {
  const route = (method: string, path: string, fields: readonly string[], work: Work, extra: Pick<Route, 'person' | 'optional'> = {}): [string, Route] => [
    `${method} ${path}`,
    { op: path.slice(1), fields, work, ...extra },
  ];
  return new Map([
    route('POST', '/pre-issue', ['requestId', 'cardId', 'residentCode'], (f, s) => ops.preIssue(f, s)),
    route('POST', '/issue', ['requestId', 'cardId'], (f, s) => ops.issue(f, s), { optional: ['pin'] }),
    route('POST', '/issue/complete', ['requestId', 'cardId'], (f, s) => ops.completeIssue(f, s)),
    route('GET', '/search', ['requestId', 'residentCode'], (f, s) => ops.search(f, s)),
    route('POST', '/move', ['requestId', 'residentCode', 'newAddress'], (f, s, p) => ops.move(f, s, p), { person: true }),
    route('POST', '/certificate-change', ['requestId', 'cardId', 'oldAddress', 'newAddress'], (f, s) => ops.certificateChange(f, s)),
  ]);
}

function fieldsOf(request: JsonRequest, route: Route): Parsed | { refusal: JsonResponse } {
  const source: Record<string, unknown> =
    request.method === 'GET' ? { requestId: randomUUID(), ...Object.fromEntries(request.query) } : request.body;
  const fields: Fields = {};
  for (const name of route.fields) {
    const value = source[name];
    if (typeof value !== 'string' || value === '') return { refusal: badRequest(name) };
    fields[name] = value;
  }
  for (const name of route.optional ?? []) {
    const value = source[name];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value === '') return { refusal: badRequest(name) };
    fields[name] = value;
  }
  if (!route.person) return { fields };
  const named = personOf(source.person);
  return 'refusal' in named ? named : { fields, ...named };
}

/** The person a move-in names, if any; one named without a name or birth date is a bad request. */
function personOf(value: unknown): { person?: Person } | { refusal: JsonResponse } {
  if (value === undefined) return {};
  const { name, birthDate } = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  if (typeof name !== 'string' || name === '') return { refusal: badRequest('person.name') };
  if (typeof birthDate !== 'string' || birthDate === '') return { refusal: badRequest('person.birthDate') };
  return { person: { name, birthDate } };
}

function outcomeOf(answer: JsonResponse): string {
  if (answer.status === 200) return 'ok';
  const error = (answer.body as { error?: unknown } | null)?.error;
  return typeof error === 'string' ? error : `http-${answer.status}`;
}

export function terminalHandler(ops: Operations, rule: BlockRule, log: Log): Handler {
  const table = routes(ops);

  /** Runs one piece of terminal work; a block that cuts it answers for it at once. */
  async function admitted(route: Route, { fields, person }: Parsed): Promise<JsonResponse> {
    const admission = rule.admit();
    if (!admission.admitted) return blocked(admission.retryAfterMs);
    const { signal } = admission;
    try {
      const work = route.work(fields, signal, person).catch(
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
    const parsed = fieldsOf(request, route);
    if ('refusal' in parsed) return parsed.refusal;
    const answer = await admitted(route, parsed);
    const requestId = parsed.fields.requestId;
    const outcome = outcomeOf(answer);
    log.line('business', 'request', { op: route.op, requestId, status: answer.status, outcome }, requestId);
    // The error stream says why the work failed; as in 2016 it names no request, so only a
    // correlated build (F14) can tie it back to one.
    if (answer.status !== 200) log.line('error', 'request-failed', { op: route.op, status: answer.status, error: outcome }, requestId);
    return answer;
  };
}

// The municipal terminals as k6 drives them: one arrival-rate scenario per kind of work, each
// request to one of the CSs (CONTRACT.md 2.1). The harness writes the plan (PLAN, a JSON file:
// harness/load/plan.ts) and reads back one raw console line per request, so that every request
// ends in the run's history with its outcome.
import { randomSeed, sleep } from 'k6';
import exec from 'k6/execution';
import http, { type RefinedResponse, type ResponseType } from 'k6/http';
import type { Options, Scenario } from 'k6/options';
import type { Plan, PlanScenario, RequestLine } from './plan.ts';

// k6 has a console; @types/k6 does not declare it.
declare const console: { log(line: string): void };

const plan = JSON.parse(open(__ENV.PLAN ?? '')) as Plan;
randomSeed(plan.seed * 7919 + __VU);

const EXEC: Record<PlanScenario['work'], string> = {
  search: 'search',
  move: 'move',
  'certificate-change': 'certificateChange',
  card: 'card',
};

function scenario(planned: PlanScenario): Scenario {
  return {
    executor: 'ramping-arrival-rate',
    exec: EXEC[planned.work],
    startRate: planned.startRate,
    timeUnit: '1m',
    preAllocatedVUs: Math.min(planned.maxVUs, 20),
    maxVUs: planned.maxVUs,
    stages: planned.stages.map((stage) => ({ target: stage.target, duration: `${stage.durationS}s` })),
    // Long enough for the last arrival's jitter and its answer: no request is cut off unrecorded.
    gracefulStop: `${Math.ceil(plan.jitterS + plan.timeoutS * 2 + 5)}s`,
  };
}

export const options: Options = {
  scenarios: Object.fromEntries(plan.scenarios.map((planned) => [planned.work, scenario(planned)])),
  discardResponseBodies: false,
  summaryTrendStats: ['med', 'p(95)', 'p(99)', 'max'],
};

/** The contract's answer table, as classes the oracles count. */
function classify(response: RefinedResponse<ResponseType>): string {
  if (response.status >= 200 && response.status < 300) return 'ok';
  if (response.status === 0) return `network:${response.error_code}`;
  let error = '';
  try {
    const body = JSON.parse(String(response.body)) as { error?: unknown };
    error = typeof body.error === 'string' ? body.error : '';
  } catch {
    // A body outside the contract keeps the status as its only class.
  }
  if (['overflow', 'blocked', 'hsm-interrupted', 'timeout', 'upstream'].includes(error)) return error;
  if ([404, 409, 422].includes(response.status)) return 'refused';
  return `status-${response.status}`;
}

let sequence = 0;
const requestId = (op: string) => `${op}-${__VU}-${++sequence}-${Math.floor(Math.random() * 0xffffff).toString(16)}`;
const residentCode = () => `R${1000 + Math.floor(Math.random() * 9000)}`;

/** Sends one terminal request to CS `cs` and writes its line of the history. */
function send(cs: number, op: string, method: 'GET' | 'POST', path: string, body?: Record<string, string>): boolean {
  const target = plan.targets[cs];
  const started = Date.now();
  const response = http.request(method, `http://${target}${path}`, body ? JSON.stringify(body) : null, {
    headers: { 'content-type': 'application/json' },
    timeout: `${plan.timeoutS}s`,
    tags: { name: op },
  });
  const answer = classify(response);
  const line: RequestLine = { t: started, ms: Math.round(response.timings.duration), op, cs, class: answer, status: response.status };
  console.log(JSON.stringify(line));
  return answer === 'ok';
}

function arrive(): number {
  sleep(Math.random() * plan.jitterS);
  return Math.floor(Math.random() * plan.targets.length);
}

export function search(): void {
  const cs = arrive();
  send(cs, 'search', 'GET', `/search?residentCode=${residentCode()}&requestId=${requestId('search')}`);
}

export function move(): void {
  const cs = arrive();
  send(cs, 'move', 'POST', '/move', { requestId: requestId('move'), residentCode: residentCode(), newAddress: `Chiyoda 1-${exec.scenario.iterationInTest}` });
}

export function certificateChange(): void {
  const cs = arrive();
  const body = { requestId: requestId('cert'), cardId: `card-${Math.floor(Math.random() * 1e6)}`, oldAddress: 'Minato 2-3', newAddress: 'Chuo 4-5' };
  send(cs, 'certificate-change', 'POST', '/certificate-change', body);
}

/** A card's life at the window: the pre-issue setting, then the issue once it succeeded. */
export function card(): void {
  const cs = arrive();
  const cardId = `card-${__VU}-${exec.scenario.iterationInTest}-${Math.floor(Math.random() * 0xffff)}`;
  if (send(cs, 'pre-issue', 'POST', '/pre-issue', { requestId: requestId('pre'), cardId, residentCode: residentCode() })) {
    send(cs, 'issue', 'POST', '/issue', { requestId: requestId('issue'), cardId });
  }
}

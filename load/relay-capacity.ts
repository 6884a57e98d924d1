// Closed-loop load on one relay: VUS virtual users, each keeping one message in flight, for
// DURATION. The relay's messages per second, times the time scale, is its capacity at scale 1.
// Env: TARGET (host:port of the relay's link), PAYLOAD (an encrypted `search` payload), VUS, DURATION.
import http from 'k6/http';
import { Counter } from 'k6/metrics';
import type { Options } from 'k6/options';

const outcomes = new Counter('relay_outcomes');

export const options: Options = {
  scenarios: {
    capacity: {
      executor: 'constant-vus',
      vus: Number(__ENV.VUS ?? 70),
      duration: __ENV.DURATION ?? '20s',
      gracefulStop: '5s',
    },
  },
  discardResponseBodies: true,
};

export default function (): void {
  const body = JSON.stringify({
    requestId: `cap-${__VU}-${__ITER}`,
    municipality: 'm1',
    kind: 'business',
    op: 'search',
    payload: __ENV.PAYLOAD,
  });
  const response = http.post(`http://${__ENV.TARGET}/message`, body, {
    headers: { 'content-type': 'application/json' },
    timeout: '60s',
  });
  outcomes.add(1, { status: String(response.status) });
}

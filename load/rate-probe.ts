// A fixed arrival rate against one HTTP target, for bench/load.ts: how fast can k6 drive a path
// (straight to a trivial target, or through a Toxiproxy proxy in front of it)?
// Env: TARGET (host:port), RATE (requests per second), DURATION (seconds).
import http from 'k6/http';
import type { Options } from 'k6/options';

const rate = Number(__ENV.RATE ?? 100);

export const options: Options = {
  scenarios: {
    probe: {
      executor: 'constant-arrival-rate',
      rate,
      timeUnit: '1s',
      duration: `${__ENV.DURATION ?? 10}s`,
      preAllocatedVUs: Math.min(200, rate),
      maxVUs: Math.max(50, rate),
      gracefulStop: '5s',
    },
  },
  discardResponseBodies: true,
  summaryTrendStats: ['med', 'p(95)', 'p(99)', 'max'],
};

export default function (): void {
  http.get(`http://${__ENV.TARGET}/probe`, { timeout: '5s' });
}

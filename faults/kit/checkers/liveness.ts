import type { Operation } from '../../../harness/fault-api.ts';
import { failed } from '../evidence.ts';

/**
 * Liveness around one fault: once the system has had its stated switch-over time, the work must
 * be served again (the share of requests that still fail, up to the heal), and once the fault is
 * healed it must serve within a stated time. Pure over the requests of a history.
 */
export interface LivenessWindow {
  /** When the fault took effect (the injection's end). */
  faultAtMs: number;
  /** When it was healed (the component back, the link restored). */
  healedAtMs: number;
  /** How long the system may take to route around the fault: requests begun earlier may fail. */
  switchOverMs: number;
  /** How soon after the heal a request must be served again. */
  recoverWithinMs: number;
  /** The share of requests begun after the switch-over that may still fail (stray failures of a busy machine). */
  maxFailedShare: number;
}

export interface LivenessReport {
  ok: boolean;
  /** Requests begun after the switch-over and before the heal. */
  afterSwitchOver: number;
  failedAfterSwitchOver: number;
  failedShare: number;
  /** When the first of those failed, for the detection time. */
  firstFailureMs: number | null;
  /** From the heal to the end of the first request begun after it that was served; null if none was. */
  recoveredAfterMs: number | null;
}

export function liveness(requests: readonly Operation[], window: LivenessWindow): LivenessReport {
  const switchedAt = window.faultAtMs + window.switchOverMs;
  const during = requests.filter((operation) => operation.startMs >= switchedAt && operation.startMs < window.healedAtMs && operation.outcome !== 'aborted');
  const failures = during.filter(failed);
  const served = requests.filter((operation) => operation.startMs >= window.healedAtMs && operation.outcome === 'ok').sort((a, b) => a.endMs - b.endMs)[0];
  const recoveredAfterMs = served ? Math.round(served.endMs - window.healedAtMs) : null;
  const failedShare = during.length === 0 ? 0 : failures.length / during.length;
  const firstFailureMs = failures.length === 0 ? null : Math.min(...failures.map((operation) => operation.endMs));
  return {
    ok: failedShare <= window.maxFailedShare && recoveredAfterMs !== null && recoveredAfterMs <= window.recoverWithinMs,
    afterSwitchOver: during.length,
    failedAfterSwitchOver: failures.length,
    failedShare,
    firstFailureMs,
    recoveredAfterMs,
  };
}

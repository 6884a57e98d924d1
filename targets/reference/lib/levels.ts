/**
 * Reference patch levels (ARCHITECTURE.md) and what each one has fixed. A component asks
 * `behaviour(level)` which mechanism to run; nothing here is ever visible at an interface.
 */
export const LEVELS = ['2015-10', '2016-01', '2016-03', '2016-04', '2016-07', '2016-09', 'fixed'] as const;
export type Level = (typeof LEVELS)[number];

export function isLevel(value: string): value is Level {
  return (LEVELS as readonly string[]).includes(value);
}

/** What each level has fixed or changed, one line each (`ijiwaru targets`); `behaviour` is the exact list. */
export const FIXES: Readonly<Record<Level, string>> = {
  '2015-10': 'the notification-card run: a batch stopped part way still reports "finished" (F9); launch faults present',
  '2016-01': 'as launched: batch status honest (F9 fixed); F1-F8, F10-F12, F14, F16, F17 present; 2 HSM boards, card server 512 MB',
  '2016-03': 'interim fixes: F2 workaround, explicit "HSM processing interrupted" error, monitor agent stopped, 1 HSM board (F1); short thread names (F5); card server 2 GB (F6)',
  '2016-04': 'permanent fixes: BIOS physical mode and the monitor agent back (F1), F2\'s permanent fix, registration idempotent and an issue completable again (F7); 1 HSM board',
  '2016-07': 'capacity raised: relay 94 connections, second HSM board back; every address character handled (F10)',
  '2016-09': "the vendor boundary: the job scheduler reads the certificate authority's answers as meant, partly done as partly and no answer as a question to ask, and a revocation job no longer holds the card server (F11)",
  fixed: 'every documented fix, plus: the CS block rule removed (F3, F4), IC writes survive restarts (F8), correlated logs (F14), a resident code held by one person only (F16), relays that fail over between card servers (F12), no failed issue kept with its PIN (F17), CS card time 5 s',
};

const atLeast = (level: Level, since: Level) => LEVELS.indexOf(level) >= LEVELS.indexOf(since);

export interface Behaviour {
  /** F1: the relay notices a lost HSM completion and logs "HSM processing interrupted". */
  hsmInterruptReported: boolean;
  /** F1: BIOS "physical" interrupt mode keeps the completion's ordering; no collision. */
  hsmPhysicalMode: boolean;
  /** F1: the hardware-monitor agent's own 2-hour schedule runs (stopped 2016-03, back 2016-04). */
  monitorScheduleRuns: boolean;
  /** F2: the end handler checks the work area was allocated before freeing it. */
  timerRaceCorrected: boolean;
  /** F3/F4: the CS's inherited rule: cut everything and block for a minute. */
  csBlockRule: boolean;
  /** F5: short thread names instead of names that grow with each reuse. */
  shortThreadNames: boolean;
  /** F7: registration idempotent by request ID; the terminal may complete it again. */
  idempotentRegistration: boolean;
  /** F8: an interrupted IC write resumes or rolls back instead of breaking the chip. */
  icWriteSurvivesRestart: boolean;
  /** F9: a batch transfer stopped part way says so, and no notice is sent. */
  honestBatchStatus: boolean;
  /** F10: the old address may hold any character of the trouble-spot list. */
  addressCharactersHandled: boolean;
  /** F14: every log line carries a correlation ID. */
  correlatedLogs: boolean;
  /** F16: a move-in under a resident code another person holds is refused (409 identity-conflict). */
  uniqueIdentityCodes: boolean;
  /** F17: a failed issue is never kept with its PIN for later entry (the January 2016 provisional operation). */
  pinsNeverKept: boolean;
  /** F12: the relay probes its card servers and fails over to the next; before, it is pinned to its own. */
  cardServerFailover: boolean;
  /** F11: the scheduler reads `partial` as partly done and asks the authority after no answer (2 places). */
  jobResultsUnderstood: boolean;
  /** F11: the card server marks revoked certificates one at a time beside other work, not holding every slot. */
  revocationYieldsToCardWork: boolean;
  /** Relay maximum concurrent connections. */
  relayMaxConnections: number;
  /** HSM boards per relay. */
  hsmBoards: number;
  /** Card server memory, bytes (the container's limit). */
  cardServerMemoryBytes: number;
  /** CS time to write and verify one card, ms at time scale 1. */
  csCardTimeMs: number;
}

export function behaviour(level: Level): Behaviour {
  return {
    hsmInterruptReported: atLeast(level, '2016-03'),
    hsmPhysicalMode: atLeast(level, '2016-04'),
    monitorScheduleRuns: !atLeast(level, '2016-03') || atLeast(level, '2016-04'),
    timerRaceCorrected: atLeast(level, '2016-03'),
    csBlockRule: level !== 'fixed',
    shortThreadNames: atLeast(level, '2016-03'),
    idempotentRegistration: atLeast(level, '2016-04'),
    icWriteSurvivesRestart: level === 'fixed',
    honestBatchStatus: atLeast(level, '2016-01'),
    addressCharactersHandled: atLeast(level, '2016-07'),
    correlatedLogs: level === 'fixed',
    uniqueIdentityCodes: level === 'fixed',
    cardServerFailover: level === 'fixed',
    pinsNeverKept: level === 'fixed',
    jobResultsUnderstood: atLeast(level, '2016-09'),
    revocationYieldsToCardWork: atLeast(level, '2016-09'),
    relayMaxConnections: atLeast(level, '2016-07') ? 94 : 70,
    // Launched with 2; cut to 1 in Jan–Feb 2016 to make F1 rarer; the second returned end of June.
    hsmBoards: atLeast(level, '2016-03') && !atLeast(level, '2016-07') ? 1 : 2,
    cardServerMemoryBytes: atLeast(level, '2016-03') ? 2 * 2 ** 30 : 512 * 2 ** 20,
    csCardTimeMs: level === 'fixed' ? 5000 : 10000,
  };
}

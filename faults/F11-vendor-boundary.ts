import type { Recorded, SystemView } from '../harness/fault-api.ts';
import { catalogEntry } from './catalog.ts';
import { failed, failureWords, requestSummary } from './kit/evidence.ts';
import { lookAt } from './kit/observe.ts';
import { pkiCalls, reconcileJobs, serialMaker } from './kit/revocation-jobs.ts';
import { cardServerMessage } from './kit/terminal.ts';
import { wait } from './kit/wait.ts';
import type { Fault, FaultContext, Judgement } from './types.ts';

/**
 * F11: the certificate authority's reception server (one vendor) and the job scheduler (another)
 * understood a job's result differently. Revocation jobs are driven to every outcome the
 * reception server can report, each through a real mechanism: a job it does whole, one with a
 * record it refuses (partly done), one with nothing it accepts (fatal), two at once (the second
 * told to retry), one whose answer the boundary link delays past the scheduler's patience (no
 * answer in time), and one during which the authority is killed. Card work runs straight to the
 * card server all along, and a long job runs over it (viewpoint 8: jobs kept from other work).
 *
 * Judged by reconciliation: each job's record at the scheduler (the serials it holds revoked)
 * against the authority's own record of every serial; and by the card work the jobs' time
 * failed. The scheduler's words for a job's state never decide, only what it holds revoked.
 */

/** F11 runs compressed: the authority revokes a certificate in 50 ms, the scheduler waits 3 s. */
const TIME_SCALE = 10;
/** Card work beside the jobs: loops of searches straight to the card server. */
const CARD_LOOPS = 2;
const CARD_REST_MS = 25;
/** How long a job may run before the run gives up waiting for it (real time). */
const SETTLE_MS = 12_000;
/** The long job that runs over card work: long enough to meet it for seconds. */
const OVERLAP_SERIALS = 40;
const CLIENT_TIMEOUT_MS = 10_000;
/** Card work goes on this long after the long job's record ends, while the scheduler marks its certificates. */
const MARK_TAIL_MS = 4000;

async function run(context: FaultContext): Promise<void> {
  const { topology, view, signal, history } = context;
  const { pki } = view;
  const [cardServer] = view.cardServers;
  if (!pki || !cardServer) {
    history.note('no-pki', { reason: 'the target runs no certificate authority and job scheduler (CONTRACT.md 2.5)' });
    return;
  }
  const client = context.client('operator', { connectMs: CLIENT_TIMEOUT_MS, headersMs: CLIENT_TIMEOUT_MS, bodyMs: CLIENT_TIMEOUT_MS });
  const calls = pkiCalls(client, topology, pki);
  const serials = serialMaker(context.rng);
  const caTimeoutMs = Number(view.parameters['SCHEDULER_CA_TIMEOUT_MS'] ?? view.defaults?.['SCHEDULER_CA_TIMEOUT_MS']) / TIME_SCALE;

  // Card work all along, straight to the card server as the relays send it.
  const working = new AbortController();
  const work = context.client('card-work', { connectMs: CLIENT_TIMEOUT_MS, headersMs: CLIENT_TIMEOUT_MS, bodyMs: CLIENT_TIMEOUT_MS });
  const endpoint = () => topology.component(cardServer).endpoint(view.ports.cardServer);
  const cardWork = Promise.all(
    Array.from({ length: CARD_LOOPS }, async (_, loop) => {
      for (let seq = 0; !working.signal.aborted; seq++) {
        await cardServerMessage(work, cardServer, endpoint, { requestId: `f11-work-${loop}-${seq}`, municipality: 'm1', op: 'search', payload: { residentCode: `R${loop}${seq % 50}` }, data: { role: 'card-work' } }, working.signal);
        // A refusal comes back at once: the rest keeps a held server from filling the history.
        await wait(CARD_REST_MS, working.signal);
      }
    }),
  );

  const job = async (jobId: string, list: string[], how: string) => {
    history.note('job', { jobId, how });
    await calls.submit(jobId, list, signal);
  };
  const reconcileNow = async (jobIds: string[], lists: string[][]) => {
    for (const jobId of jobIds) await calls.settle(jobId, SETTLE_MS, signal);
    for (const serial of lists.flat()) await calls.certificate(serial, signal);
  };

  try {
    await wait(300, signal);
    const done = serials(3);
    await job('f11-done', done, 'every record valid');
    const partial = [...serials(2), 'S12-34-bad'];
    await job('f11-partial', partial, 'one record the authority refuses (partly done)');
    const fatal = ['bad-1', 'S1'];
    await job('f11-fatal', fatal, 'no record the authority accepts (fatal)');
    await reconcileNow(['f11-done', 'f11-partial', 'f11-fatal'], [done, partial, fatal]);

    const first = serials(8);
    const second = serials(2);
    await Promise.all([job('f11-first', first, 'sent with another at once'), job('f11-second', second, 'sent with another at once (one is told to retry)')]);
    await reconcileNow(['f11-first', 'f11-second'], [first, second]);

    // No answer in time: the authority's answer held on the boundary link past the scheduler's wait.
    const slow = serials(2);
    {
      await using _held = await topology.link(pki.schedulerToCaLink).latency({ latency: Math.round(caTimeoutMs * 1.5) });
      await job('f11-unanswered', slow, "the authority's answer delayed past the scheduler's wait");
      await wait(caTimeoutMs * 1.3, signal);
    }
    await reconcileNow(['f11-unanswered'], [slow]);

    // The authority killed part way through a job, then started again.
    const killed = serials(12);
    await job('f11-killed', killed, 'the authority killed part way through');
    await wait(250, signal);
    const authority = topology.component(pki.ca);
    await authority.kill();
    await authority.restart();
    await reconcileNow(['f11-killed'], [killed]);

    // A long job over the card work.
    const long = serials(OVERLAP_SERIALS);
    await job('f11-overlap', long, 'a long job over card work');
    await reconcileNow(['f11-overlap'], [long]);
    // The scheduler marks the revoked certificates on the card server after the job's record:
    // the card work goes on while it may.
    await wait(MARK_TAIL_MS, signal);
  } finally {
    working.abort();
    await cardWork;
  }
  await lookAt(context, [pki.scheduler, pki.ca, cardServer]);
}

/**
 * Reconciliation of every job the history shows submitted (kit/revocation-jobs.ts): the serials
 * the scheduler holds revoked against those the authority revoked. Card work that failed while
 * jobs ran is the overlap the operating rules had to prevent.
 */
export function judgeF11(history: Recorded, view: SystemView): Judgement {
  if (!view.pki) return { verdict: 'inconclusive', detectedAfterMs: null, summary: 'the target runs no certificate authority and job scheduler (CONTRACT.md 2.5), so no job crossed the boundary' };
  const { jobs, compared, disagreements, unsettled, records } = reconcileJobs(history);
  const work = history.requests.filter((operation) => operation.data?.['role'] === 'card-work' && operation.outcome !== 'aborted');
  const blocked = work.filter(failed);
  const findings: Array<{ atMs: number; text: string }> = [];
  const disagreed = disagreements[0];
  if (disagreed) {
    const words = disagreements.map((d) => `${d.jobId} (${d.how}): the scheduler holds ${d.schedulerRevoked} revoked, the authority revoked ${d.authorityRevoked}`);
    findings.push({ atMs: Math.min(...disagreements.map((d) => d.readAtMs)), text: `${disagreements.length} of ${compared} jobs recorded otherwise than the authority did them: ${words.slice(0, 3).join('; ')}` });
  }
  const firstBlocked = blocked[0];
  if (firstBlocked) {
    findings.push({ atMs: firstBlocked.endMs, text: `${blocked.length} of ${work.length} card requests failed while revocation jobs ran (${failureWords(blocked)})` });
  }
  const details = { disagreements, jobs: jobs.map(({ jobId, how, serials }) => ({ jobId, how, serials: serials.length, scheduler: records.get(jobId)?.state ?? null })), blocked: blocked.slice(0, 20).map(requestSummary), unsettled };
  if (findings.length > 0) {
    const first = Math.min(...findings.map((finding) => finding.atMs));
    return { verdict: 'finding', detectedAfterMs: Math.round(first), summary: findings.map((finding) => finding.text).join('; '), details };
  }
  if (jobs.length === 0 || unsettled.length > 0) {
    return { verdict: 'inconclusive', detectedAfterMs: null, summary: jobs.length === 0 ? 'no job was accepted by the scheduler' : `${unsettled.length} of ${jobs.length} jobs never read settled at both ends (${unsettled.slice(0, 3).join(', ')})`, details };
  }
  if (work.length === 0) return { verdict: 'inconclusive', detectedAfterMs: null, summary: 'no card work ran beside the jobs', details };
  return {
    verdict: 'pass',
    detectedAfterMs: null,
    summary: `${compared} jobs recorded as the authority did them, ${work.length} card requests served beside them; the jobs: ${[...new Set(jobs.map((job) => job.how))].join('; ')}`,
    details,
  };
}

const fault: Fault = {
  id: 'F11',
  ...catalogEntry('F11'),
  topology: { municipalities: 1, relays: 1, cardServers: 1, pki: true },
  limitMs: 90_000,
  timeScale: TIME_SCALE,
  run,
  judge: judgeF11,
};

export default fault;

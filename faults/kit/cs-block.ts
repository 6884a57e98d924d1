import type { Operation, Recorded } from '../../harness/fault-api.ts';
import type { Judgement } from '../types.ts';
import { failed, roleOf } from './evidence.ts';

/**
 * The time scale F3 and F4 run at: the CS's one-minute block then lasts 6 s, longer than the
 * harness takes on a busy machine to wind its push down and start probing (at 60 it is 1 s,
 * which a loaded host can miss entirely, judging a pass where the block was).
 */
export const CS_BLOCK_TIME_SCALE = 10;

/**
 * The blast radius of one trigger at a CS (F3, F4), judged from the history alone by what happened
 * to the work, whatever status or word the build answered with. Requests carry their role: the
 * `trigger` that may fail by itself, `innocent` work in flight at the same CS, `probe`s sent once
 * the trigger is over. `harmed` names the roles whose failure is collateral damage.
 */
export function judgeCsBlock(history: Recorded, trigger: { description: string; harmed: ReadonlyArray<'innocent' | 'probe'> }): Judgement {
  const ofRole = (role: string) => history.requests.filter((operation) => roleOf(operation) === role);
  const triggers = ofRole('trigger');
  const innocents = ofRole('innocent');
  const probes = ofRole('probe');
  const triggered = triggers.filter(failed);
  const harmed = history.requests.filter((operation) => trigger.harmed.includes(roleOf(operation) as 'innocent') && failed(operation)).sort((a, b) => a.endMs - b.endMs);
  const count = (list: readonly Operation[]) => `${list.filter(failed).length} of ${list.length}`;
  if (harmed.length > 0) {
    const first = harmed[0]!;
    const last = harmed.at(-1)!;
    const words = [...new Set(harmed.map((operation) => operation.code ?? operation.status ?? operation.outcome))].slice(0, 3).join(', ');
    return {
      verdict: 'finding',
      detectedAfterMs: Math.round(first.endMs),
      summary:
        `after one ${trigger.description}, the CS failed ${count(innocents)} transactions in flight and ${count(probes)} probes sent once it was over, ` +
        `refusing work for ${Math.round(last.endMs - first.endMs)} ms (first to last failure; answered ${words})`,
      details: { harmed: harmed.slice(0, 50), refusedFromMs: first.endMs, refusedToMs: last.endMs },
    };
  }
  if (triggered.length === 0) {
    return { verdict: 'inconclusive', detectedAfterMs: null, summary: `the ${trigger.description} never happened (${triggers.length} trigger requests, none failed), so the CS's reaction could not be seen` };
  }
  if (probes.length === 0) {
    return { verdict: 'inconclusive', detectedAfterMs: null, summary: `the ${trigger.description} happened but no probe followed it` };
  }
  return {
    verdict: 'pass',
    detectedAfterMs: null,
    summary: `the ${trigger.description} failed only its own ${triggered.length} request(s); ${count(innocents)} transactions in flight failed, ${probes.length} probes all served`,
  };
}

export interface RefusalEpisode {
  /** The CS (or the link in front of it) whose work was refused. */
  target: string;
  fromMs: number;
  toMs: number;
  failed: number;
}

/**
 * Spans in which a CS turned away all its work: at one target, at least `minFailed` requests in a
 * row failed, whatever they answered, with no request served between them, over at least `minSpanMs`
 * (from the first failure's end to the last's). Capacity refusals fail single requests among
 * served ones; a CS that blocks itself fails everything for its block's length. Shared by the
 * load suite's block episodes; F3 and F4 measure their refusal the same way.
 */
export function refusalEpisodes(requests: readonly Operation[], options: { minFailed: number; minSpanMs: number }): RefusalEpisode[] {
  const episodes: RefusalEpisode[] = [];
  const byTarget = Map.groupBy(requests.filter((operation) => operation.outcome !== 'aborted'), (operation) => operation.target);
  for (const [target, list] of byTarget) {
    let run: Operation[] = [];
    const close = () => {
      const first = run[0];
      const last = run.at(-1);
      if (first && last && run.length >= options.minFailed && last.endMs - first.endMs >= options.minSpanMs) {
        episodes.push({ target, fromMs: first.endMs, toMs: last.endMs, failed: run.length });
      }
      run = [];
    };
    for (const operation of [...list].sort((a, b) => a.endMs - b.endMs)) {
      if (failed(operation)) run.push(operation);
      else close();
    }
    close();
  }
  return episodes.sort((a, b) => a.fromMs - b.fromMs);
}

/**
 * When `episode` became one: the failure of its run at which both bounds of `refusalEpisodes` were
 * first met (the `minFailed`-th failure, at least `minSpanMs` after the first). A judge's
 * detection time for a refusal episode.
 */
export function episodeEstablishedAtMs(requests: readonly Operation[], episode: RefusalEpisode, options: { minFailed: number; minSpanMs: number }): number {
  const run = requests
    .filter((operation) => operation.target === episode.target && failed(operation) && operation.endMs >= episode.fromMs && operation.endMs <= episode.toMs)
    .sort((a, b) => a.endMs - b.endMs);
  const deciding = run.find((operation, index) => index + 1 >= options.minFailed && operation.endMs - episode.fromMs >= options.minSpanMs);
  return deciding?.endMs ?? episode.toMs;
}

import path from 'node:path';
import type { ChartSpec, Mark } from './html-charts.ts';
import { detailsBlock } from './html-details.ts';
import { involvedRequestIds, logExcerpts, type LogExcerpts } from './html-logs.ts';
import { html, type Markup } from './html-markup.ts';
import { measurementView } from './html-measurements.ts';
import type { Source } from './html-sources.ts';
import type { ResultEntry } from './report.ts';

/** Injections listed under a timeline; the rest stay in injections.jsonl. */
const MAX_MARK_ROWS = 60;

export interface ResultSection {
  markup: Markup;
  charts: ChartSpec[];
}

export const anchorOf = (index: number) => `result-${index}`;

export function verdictBadge(verdict: string): Markup {
  return html`<span class="verdict verdict-${verdict}">${verdict}</span>`;
}

/**
 * One result: verdict, summary, evidence, replay command; the timeline where its source is first
 * shown (else a link to it); a suite's figures; for a finding, the log lines of the requests involved.
 */
export function resultSection(outDir: string, result: ResultEntry, index: number, source: Source, timelineAt: number): ResultSection {
  const charts: ChartSpec[] = [];
  const ownsTimeline = timelineAt === index;
  if (ownsTimeline) charts.push(...source.timeline.charts);
  const measurements = result.measurements && Object.keys(result.measurements).length > 0 ? measurementView(`m-${index}`, result.measurements) : undefined;
  if (measurements) charts.push(...measurements.charts.map((chart) => chart.spec));
  const detected = result.detectedAfterMs === null ? 'not applicable' : `${Math.round(result.detectedAfterMs)} ms after the injection began`;
  const markup = html`<article class="result" id="${anchorOf(index)}" data-fault="${result.fault}">
<h3>${result.fault} ${result.title} ${verdictBadge(result.verdict)}</h3>
<p class="summary">${result.summary}</p>
<dl class="facts">
<dt>Detected</dt><dd>${detected}</dd>
<dt>Viewpoints</dt><dd>${result.viewpoints.join(', ') || 'none'}</dd>
<dt>Evidence</dt><dd><ul class="evidence">${result.evidence.map((file) => html`<li><a href="${encodeURI(file)}">${file}</a></li>`)}</ul></dd>
</dl>
<div class="replay"><span>Replay:</span> <code id="replay-${index}">${result.replay}</code> <button type="button" class="copy" id="copy-replay-${index}">Copy</button></div>
${ownsTimeline ? timeline(source) : html`<p class="shared">Timeline: the same requests as <a href="#${anchorOf(timelineAt)}">the result above</a>.</p>`}
${measurements ? measurementsBlock(measurements) : ''}
${detailsBlock(outDir, result)}
${result.verdict === 'finding' ? excerptsBlock(logExcerpts(path.join(outDir, source.folder, 'logs'), involvedRequestIds(source.operations, jsonEvidence(outDir, result)), outDir)) : ''}
</article>`;
  return { markup, charts };
}

function jsonEvidence(outDir: string, result: ResultEntry): string[] {
  return result.evidence.filter((file) => file.endsWith('.json')).map((file) => path.join(outDir, file));
}

function timeline(source: Source): Markup {
  const { timeline } = source;
  const [throughput, latency, errors] = timeline.charts;
  const figure = (chart: ChartSpec | undefined, caption: string) =>
    chart ? html`<figure><figcaption>${caption}</figcaption><div class="chart" id="${chart.id}"></div></figure>` : '';
  return html`<section class="timeline">
<h4>Timeline</h4>
<p class="note">${timeline.requests} requests from ${timeline.from}, in buckets of ${timeline.bucketMs} ms by completion time, in seconds since the fault's history began (a suite: since the suite started). ${timeline.injections > 0 ? `Shaded: what the harness did to the system (${timeline.injections} recorded actions), numbered as in the table below.` : ''}</p>
${figure(throughput, 'Throughput: requests completed per second')}
${figure(latency, 'Latency percentiles of the requests completed in each bucket (failures included), ms')}
${figure(errors, 'Requests not ok, by class (outcome, with the error word of the answer)')}
${marksTable(timeline.marks)}
</section>`;
}

function marksTable(marks: readonly Mark[]): Markup {
  if (marks.length === 0) return html`<p class="note">No injection was recorded for this result.</p>`;
  const seconds = (value: number | null) => (value === null ? 'until the end' : value.toFixed(3));
  return html`<table class="injections"><thead><tr><th>#</th><th>from s</th><th>to s</th><th>injection</th></tr></thead><tbody>
${marks.slice(0, MAX_MARK_ROWS).map((mark, index) => html`<tr><td>${index + 1}</td><td>${seconds(mark.fromS)}</td><td>${seconds(mark.toS)}</td><td>${mark.label}</td></tr>`)}
</tbody></table>${marks.length > MAX_MARK_ROWS ? html`<p class="note">${marks.length - MAX_MARK_ROWS} more in injections.jsonl.</p>` : ''}`;
}

function measurementsBlock(view: ReturnType<typeof measurementView>): Markup {
  return html`<section class="measurements">
<h4>Measurements</h4>
${view.figures.length > 0 ? html`<table class="figures"><tbody>${view.figures.map((figure) => html`<tr><th>${figure.name}</th><td>${figure.value}</td></tr>`)}</tbody></table>` : ''}
${view.tables.map(
  (table) => html`<h5>${table.name}</h5><table class="records"><thead><tr>${table.columns.map((column) => html`<th>${column}</th>`)}</tr></thead><tbody>
${table.rows.map((row) => html`<tr>${row.map((cell) => html`<td>${cell}</td>`)}</tr>`)}</tbody></table>${table.more > 0 ? html`<p class="note">${table.more} more rows in report.json.</p>` : ''}`,
)}
${view.charts.length > 0 ? html`<div class="grid">${view.charts.map((chart) => html`<figure><figcaption>${chart.title}</figcaption><div class="chart" id="${chart.spec.id}"></div></figure>`)}</div>` : ''}
</section>`;
}

function excerptsBlock(excerpts: LogExcerpts): Markup {
  const how =
    excerpts.joinedBy === 'correlationId'
      ? html`<p class="note">Joined by <code>correlationId</code> on the ${excerpts.ids} request IDs involved (failed requests of the history, request IDs in the evidence).</p>`
      : html`<p class="warning">No log line of this target carries a <code>correlationId</code> (N2, F14): the control, business and error streams cannot be joined. The lines below match the <code>requestId</code> field instead, on the ${excerpts.ids} request IDs involved; a line that does not repeat the request ID is missing.</p>`;
  const body =
    excerpts.ids === 0
      ? html`<p class="note">No request ID is recorded for this finding, so no log line can be joined to it.</p>`
      : excerpts.components.length === 0
        ? html`<p class="note">No log line matches the request IDs involved.</p>`
        : excerpts.components.map(
            (component) => html`<h5>${component.file}: ${component.lines.length} of ${component.matched} matching lines (matched by ${excerpts.joinedBy})</h5><pre class="log">${component.lines.join('\n')}</pre>`,
          );
  return html`<section class="logs"><h4>Log excerpts by ${excerpts.joinedBy === 'correlationId' ? 'correlation ID' : 'request ID'}</h4>${how}${body}</section>`;
}

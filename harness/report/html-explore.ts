import { html, type Markup } from './html-markup.ts';
import { verdictBadge } from './html-result.ts';
import type { ExploreSummary } from './report.ts';

/**
 * `ijiwaru explore`'s section: what the search ran, and the coverage matrix (link or component ×
 * how it fails × the operation it landed on), each cell the worst verdict it showed.
 */
export function exploreSection(explore: ExploreSummary, durationMs: number): Markup {
  const minutes = durationMs / 60_000;
  const share = explore.coverage.cells === 0 ? 0 : (100 * explore.coverage.covered) / explore.coverage.cells;
  const checkers = Object.entries(explore.checkersFailed);
  return html`<section id="explore"><h2>Exploration</h2>
<dl class="facts">
<dt>Budget</dt><dd>${(explore.budgetMs / 60_000).toFixed(1)} min</dd>
<dt>Experiments</dt><dd>${explore.experiments} searching (${minutes > 0 ? (explore.experiments / minutes).toFixed(1) : '0'} per minute), ${explore.shrinkRuns} replaying and shrinking findings</dd>
<dt>Coverage</dt><dd>${explore.coverage.covered} of ${explore.coverage.cells} cells (${share.toFixed(1)} %)</dd>
<dt>Checkers failed</dt><dd>${checkers.length > 0 ? checkers.map(([checker, count]) => `${checker} in ${count}`).join(', ') : 'none'}</dd>
</dl>
<table class="coverage"><thead><tr><th>link or component</th><th>fails by</th>${explore.ops.map((op) => html`<th>${op}</th>`)}</tr></thead><tbody>
${explore.matrix.map(
  (row) => html`<tr><td>${row.on}</td><td>${row.mode}</td>${explore.ops.map((op) => {
    const verdict = row.cells[op];
    return html`<td>${verdict ? verdictBadge(verdict) : html`<span class="note">·</span>`}</td>`;
  })}</tr>`,
)}
</tbody></table></section>`;
}

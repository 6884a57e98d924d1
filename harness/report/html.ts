import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { ChartSpec } from './html-charts.ts';
import { renderPage, type PageData } from './html-client.ts';
import { html, Markup, scriptJson } from './html-markup.ts';
import { exploreSection } from './html-explore.ts';
import { anchorOf, resultSection, verdictBadge } from './html-result.ts';
import { readSource, sourceKey, type Source } from './html-sources.ts';
import { VIEWPOINTS } from './html-viewpoints.ts';
import type { Report, ResultEntry } from './report.ts';

const uplotDir = path.dirname(createRequire(import.meta.url).resolve('uplot'));

/** uPlot's script and style, inlined: the page works offline and fetches nothing. */
function uplotAssets(): { script: Markup; style: Markup } {
  const script = readFileSync(path.join(uplotDir, 'uPlot.iife.min.js'), 'utf8');
  if (/<\/script/i.test(script)) throw new Error('uPlot.iife.min.js contains "</script" and cannot be inlined');
  return { script: new Markup(script), style: new Markup(readFileSync(path.join(uplotDir, 'uPlot.min.css'), 'utf8')) };
}

/**
 * report.html: one self-contained page for an auditor, built from the report and the evidence
 * folder beside it. Everything taken from evidence is escaped; series are bucketed and excerpts
 * capped, so the page stays small whatever the run's length.
 */
export function reportHtml(report: Report, outDir: string): string {
  const sources = new Map<string, { source: Source; at: number }>();
  const sections = report.results.map((result, index) => {
    const key = sourceKey(result, report.suite);
    let entry = sources.get(key);
    if (!entry) {
      entry = { source: readSource(outDir, result, report.suite, `timeline-${sources.size}`), at: index };
      sources.set(key, entry);
    }
    return resultSection(outDir, result, index, entry.source, entry.at);
  });
  const charts: ChartSpec[] = sections.flatMap((section) => section.charts);
  const data: PageData = { charts };
  const uplot = uplotAssets();
  const title = `ijiwaru report: ${report.target.name}@${report.target.variant}${report.suite ? ` (${report.suite} suite)` : report.explore ? ' (explore)' : ''}`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${title}</title>
<style>${uplot.style}</style>
<style>${new Markup(STYLE)}</style>
</head>
<body>
<header>
<h1>${title}</h1>
${header(report)}
<nav>${report.explore ? html`<a href="#explore">Exploration</a> · ` : ''}<a href="#viewpoints">Verdicts by viewpoint</a> · <a href="#results">Results</a> · <a href="#parameters">Parameter sheet</a></nav>
</header>
<main>
${report.explore ? exploreSection(report.explore, report.durationMs) : ''}
${viewpoints(report.results)}
<section id="results"><h2>Results</h2>${sections.map((section) => section.markup)}</section>
${parameterSheet(report)}
</main>
<script type="application/json" id="ijiwaru-data">${scriptJson(data)}</script>
<script>${uplot.script}</script>
<script>(${new Markup(renderPage.toString())})(uPlot, JSON.parse(document.getElementById('ijiwaru-data').textContent), document, navigator.clipboard, window.devicePixelRatio || 1);</script>
</body>
</html>
`.text;
}

function header(report: Report): Markup {
  const summary = (['finding', 'pass', 'inconclusive', 'error'] as const).map((verdict) => html`${verdictBadge(verdict)} ${report.summary[verdict]} `);
  return html`<dl class="facts header">
<dt>Target</dt><dd>${report.target.name}@${report.target.variant}</dd>
${report.suite ? html`<dt>Suite</dt><dd>${report.suite}</dd>` : ''}
<dt>Runtime</dt><dd>${report.runtime}</dd>
<dt>Seed</dt><dd>${report.seed}</dd>
<dt>Time scale</dt><dd>${report.timeScale} (every duration of the contract divided by it)</dd>
<dt>Started</dt><dd>${report.startedAt}</dd>
<dt>Duration</dt><dd>${duration(report.durationMs)}</dd>
<dt>Summary</dt><dd class="summary-counts">${summary}</dd>
</dl>`;
}

function duration(ms: number): string {
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

/** Every viewpoint of the audit in its order, each with the results that map to it. */
function viewpoints(results: readonly ResultEntry[]): Markup {
  const known = new Set(VIEWPOINTS.map((viewpoint) => viewpoint.id));
  const unmapped = results.map((result, index) => ({ result, index })).filter(({ result }) => !result.viewpoints.some((id) => known.has(id)));
  const rows = (entries: Array<{ result: ResultEntry; index: number }>) =>
    html`<table class="verdicts"><thead><tr><th>fault</th><th>verdict</th><th>summary</th></tr></thead><tbody>${entries.map(
      ({ result, index }) => html`<tr><td><a href="#${anchorOf(index)}">${result.fault} ${result.title}</a></td><td>${verdictBadge(result.verdict)}</td><td>${result.summary}</td></tr>`,
    )}</tbody></table>`;
  return html`<section id="viewpoints"><h2>Verdicts by inspection viewpoint</h2>
<p class="note">The viewpoints of the organisation's 2016 audit; a result appears under each of its viewpoints.</p>
${VIEWPOINTS.map((viewpoint) => {
  const entries = results.map((result, index) => ({ result, index })).filter(({ result }) => result.viewpoints.includes(viewpoint.id));
  return html`<section class="viewpoint" data-viewpoint="${viewpoint.id}"><h3>${viewpoint.id}. ${viewpoint.title}</h3>${
    entries.length > 0 ? rows(entries) : html`<p class="not-covered">not covered by this run</p>`
  }</section>`;
})}
${unmapped.length > 0 ? html`<section class="viewpoint" data-viewpoint="none"><h3>Results without a viewpoint</h3>${rows(unmapped)}</section>` : ''}
</section>`;
}

/** N3: the parameters as given to the components, beside the contract's defaults where known. */
function parameterSheet(report: Report): Markup {
  const { parameters, defaults } = report.target;
  if (!defaults) {
    return html`<section id="parameters"><h2>Parameter sheet (N3)</h2>
<p class="note">The parameters as given to the components. The target declared no defaults to compare them with.</p>
<table class="parameters"><thead><tr><th>parameter</th><th>this run</th></tr></thead><tbody>
${Object.entries(parameters).map(([name, value]) => html`<tr><td>${name}</td><td>${value}</td></tr>`)}
</tbody></table></section>`;
  }
  const names = [...new Set([...Object.keys(defaults), ...Object.keys(parameters)])];
  const differing = names.filter((name) => parameters[name] !== undefined && parameters[name] !== defaults[name]);
  return html`<section id="parameters"><h2>Parameter sheet (N3)</h2>
<p class="note">The parameters as given to the components, beside the contract's defaults at time scale 1. ${differing.length} differ (marked ≠).</p>
<table class="parameters"><thead><tr><th>parameter</th><th>this run</th><th>default</th><th></th></tr></thead><tbody>
${names.map((name) => {
  const value = parameters[name];
  const fallback = defaults[name];
  const differs = differing.includes(name);
  return html`<tr class="${differs ? 'differs' : ''}"><td>${name}</td><td>${value ?? html`<span class="note">not set (default)</span>`}</td><td>${fallback ?? html`<span class="note">none declared</span>`}</td><td>${differs ? '≠' : ''}</td></tr>`;
})}
</tbody></table></section>`;
}

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 1100px; padding: 0 16px 48px; color: #1a1a1a; }
h1 { font-size: 22px; margin: 20px 0 8px; } h2 { border-bottom: 2px solid #ccc; margin-top: 32px; } h3 { margin: 18px 0 6px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 8px 0; } dl.facts dt { font-weight: 600; } dl.facts dd { margin: 0; }
nav { margin: 8px 0 0; }
.verdict { display: inline-block; padding: 0 7px; border-radius: 9px; font-size: 12px; font-weight: 600; color: #fff; vertical-align: middle; }
.verdict-finding { background: #c0392b; } .verdict-pass { background: #1e8449; } .verdict-inconclusive { background: #b9770e; } .verdict-error { background: #555; }
table { border-collapse: collapse; margin: 6px 0; } th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top; }
table.verdicts { width: 100%; } table.coverage td, table.coverage th { padding: 1px 6px; font-size: 12px; } table.verdicts td:first-child { white-space: nowrap; }
.not-covered, .note { color: #666; } .warning { background: #fff4e5; border-left: 4px solid #d55e00; padding: 6px 10px; }
article.result { border-top: 1px solid #ddd; padding-top: 6px; }
.replay { background: #f4f4f4; padding: 6px 8px; border-radius: 4px; } .replay code { word-break: break-all; }
figure { margin: 10px 0; } figcaption { font-weight: 600; font-size: 13px; }
.grid { display: grid; grid-template-columns: 1fr 1fr; gap: 8px; }
pre.log { background: #1d1f21; color: #e0e0e0; padding: 8px; overflow-x: auto; font-size: 12px; max-height: 420px; }
tr.differs td { background: #fff4e5; font-weight: 600; }
ul.evidence { margin: 0; padding-left: 18px; }
`;

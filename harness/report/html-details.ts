import path from 'node:path';
import { JUDGEMENT_FILE } from '../judging.ts';
import { readJson } from './html-evidence.ts';
import { html, type Markup } from './html-markup.ts';
import type { ResultEntry } from './report.ts';

/** Rows shown of each list; judgement.json keeps them all. */
const MAX_ROWS = 20;
const MAX_CELL = 160;

/**
 * What decided a verdict, from the judgement's details: each list of records (the cards, batches
 * or codes that went wrong, with the requests that made them) as a table, so an auditor sees the
 * data at fault without opening judgement.json.
 */
export function detailsBlock(outDir: string, result: ResultEntry): Markup | '' {
  const file = result.evidence.find((name) => path.basename(name) === JUDGEMENT_FILE);
  const details = file ? (readJson(path.join(outDir, file)) as { details?: Record<string, unknown> } | undefined)?.details : undefined;
  const lists = Object.entries(details ?? {}).filter((entry): entry is [string, Array<Record<string, unknown>>] => isRecordList(entry[1]));
  if (lists.length === 0) return '';
  return html`<section class="details"><h4>What decided it</h4>${lists.map(([name, rows]) => table(name, rows))}</section>`;
}

function isRecordList(value: unknown): value is Array<Record<string, unknown>> {
  return Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'object' && item !== null && !Array.isArray(item));
}

function table(name: string, rows: ReadonlyArray<Record<string, unknown>>): Markup {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const shown = rows.slice(0, MAX_ROWS);
  return html`<table class="details"><caption>${name} (${rows.length})</caption><thead><tr>${columns.map((column) => html`<th>${column}</th>`)}</tr></thead><tbody>${shown.map(
    (row) => html`<tr>${columns.map((column) => html`<td>${cell(row[column])}</td>`)}</tr>`,
  )}</tbody></table>`;
}

function cell(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > MAX_CELL ? `${text.slice(0, MAX_CELL)}…` : text;
}

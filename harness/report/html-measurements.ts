import { color, type ChartSpec } from './html-charts.ts';

/** A suite's figures as a person reads them: scalars in a table, series as charts, records as rows. */
export interface MeasurementView {
  figures: Array<{ name: string; value: string }>;
  charts: Array<{ title: string; spec: ChartSpec }>;
  tables: Array<{ name: string; columns: string[]; rows: string[][]; more: number }>;
}

/** Keys taken as a series' x axis, in order of preference. */
const X_KEYS = ['fromS', 'atS', 'minute', 'per10Min', 't'];
/** Fields that make a record one per CS or relay (a block episode), not one per moment: a table. */
const ENTITY_KEYS = ['cs', 'relay', 'municipality'];
const MAX_CHARTS = 8;
const MAX_ROWS = 20;
const MAX_CELL_CHARS = 160;

type Scalar = string | number | boolean | null;
const isScalar = (value: unknown): value is Scalar => value === null || ['string', 'number', 'boolean'].includes(typeof value);
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export function measurementView(id: string, measurements: Record<string, unknown>): MeasurementView {
  const view: MeasurementView = { figures: [], charts: [], tables: [] };
  for (const [name, value] of Object.entries(measurements)) {
    if (isScalar(value)) view.figures.push({ name, value: formatScalar(value) });
    else if (isRecord(value) && Object.values(value).every(isScalar)) {
      for (const [key, item] of Object.entries(value)) view.figures.push({ name: `${name}.${key}`, value: formatScalar(item as Scalar) });
    } else if (Array.isArray(value) && value.length === 0) view.figures.push({ name, value: 'none' });
    else if (Array.isArray(value) && value.every(isScalar)) view.figures.push({ name, value: value.map((item) => formatScalar(item)).join(', ') });
    else if (Array.isArray(value) && value.every(isRecord)) addRecords(view, `${id}-${view.charts.length + view.tables.length}`, name, value);
    else view.figures.push({ name, value: clip(JSON.stringify(value)) });
  }
  return view;
}

/**
 * Records over an x axis (time, a load step) become one chart per family of numeric fields;
 * others (one record per relay or per block episode) become a table.
 */
function addRecords(view: MeasurementView, id: string, name: string, records: Array<Record<string, unknown>>): void {
  const flat = records.map((record) => flatten(record));
  const numeric = [...new Set(flat.flatMap((record) => Object.keys(record)))].filter((key) =>
    flat.every((record) => record[key] === undefined || record[key] === null || typeof record[key] === 'number'),
  );
  const xKey = X_KEYS.find((key) => numeric.includes(key) && flat.every((record) => typeof record[key] === 'number'));
  const fields = numeric.filter((key) => key !== xKey && key !== 'toS');
  const perEntity = flat.some((record) => ENTITY_KEYS.some((key) => key in record));
  if (xKey && !perEntity && records.length >= 2 && fields.length > 0) {
    const x = flat.map((record) => record[xKey] as number);
    const families = Map.groupBy(fields, family);
    for (const [index, [group, keys]] of [...families].slice(0, MAX_CHARTS).entries()) {
      const series = keys.map((key, position) => ({
        label: key,
        values: flat.map((record) => (typeof record[key] === 'number' ? (record[key] as number) : null)),
        color: color(position),
      }));
      view.charts.push({ title: `${name}: ${group}`, spec: { id: `${id}-${index}`, xLabel: xKey, yLabel: group, x, series, marks: [], sync: id } });
    }
    return;
  }
  const columns = [...new Set(flat.flatMap((record) => Object.keys(record)))];
  view.tables.push({
    name,
    columns,
    rows: flat.slice(0, MAX_ROWS).map((record) => columns.map((column) => (record[column] === undefined ? '' : formatScalar(record[column] as Scalar)))),
    more: Math.max(0, flat.length - MAX_ROWS),
  });
}

/** Fields drawn in one chart: a record's counts (`classes.ok`, `classes.overflow`), percentiles (`p50`, `p95`). */
function family(key: string): string {
  if (key.includes('.')) return key.slice(0, key.indexOf('.'));
  return /^p\d+(Ms)?$/.test(key) ? 'percentiles' : key;
}

/** One level of nesting as dotted names (`classes.ok`); deeper values as their JSON. */
function flatten(record: Record<string, unknown>): Record<string, Scalar> {
  const flat: Record<string, Scalar> = {};
  for (const [key, value] of Object.entries(record)) {
    if (isScalar(value)) flat[key] = value;
    else if (isRecord(value)) for (const [inner, item] of Object.entries(value)) flat[`${key}.${inner}`] = isScalar(item) ? item : clip(JSON.stringify(item));
    else flat[key] = clip(JSON.stringify(value));
  }
  return flat;
}

function formatScalar(value: Scalar): string {
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Math.round(value * 1000) / 1000);
  return clip(String(value));
}

function clip(text: string): string {
  return text.length > MAX_CELL_CHARS ? `${text.slice(0, MAX_CELL_CHARS)}…` : text;
}

/** What the page's script draws with uPlot: built on the harness's side, drawn as given. */

/** An injection over the time axis: a band from `fromS` to `toS` (open-ended when null). */
export interface Mark {
  fromS: number;
  toS: number | null;
  label: string;
}

export interface ChartSeries {
  label: string;
  values: Array<number | null>;
  color: string;
}

export interface ChartSpec {
  /** The id of the element the chart is drawn into. */
  id: string;
  xLabel: string;
  yLabel: string;
  x: number[];
  series: ChartSeries[];
  marks: Mark[];
  /** Charts with the same key move their cursors together. */
  sync?: string;
}

/** Colours told apart in print and by most colour-blind readers (Okabe–Ito). */
const PALETTE = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#000000', '#f0e442'];

export function color(index: number): string {
  return PALETTE[index % PALETTE.length] ?? '#000000';
}

import type uPlotType from 'uplot';
import type { ChartSpec } from './html-charts.ts';

// The only script of report.html. The page embeds `renderPage.toString()`: Node runs this file
// with its types stripped to blanks, so the text is plain JavaScript. It must therefore reach
// nothing outside its own body; the DOM is described by the few members it uses (the project
// compiles without the DOM library).

interface PageElement {
  id: string;
  textContent: string | null;
  clientWidth: number;
  setAttribute(name: string, value: string): void;
  addEventListener(type: string, listener: () => void): void;
}

interface PageDocument {
  getElementById(id: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
  getSelection(): { selectAllChildren(element: PageElement): void } | null;
}

interface Clipboard {
  writeText(text: string): Promise<void>;
}

interface Canvas {
  save(): void;
  restore(): void;
  fillStyle: string;
  font: string;
  fillRect(x: number, y: number, width: number, height: number): void;
  fillText(text: string, x: number, y: number): void;
}

export interface PageData {
  charts: ChartSpec[];
}

/** Draws every chart with uPlot into its element; wires the replay commands' copy buttons. */
export function renderPage(uPlot: typeof uPlotType, data: PageData, document: PageDocument, clipboard: Clipboard | undefined, pixelRatio: number): void {
  const MAX_LABELLED_MARKS = 40;
  for (const spec of data.charts) {
    const element = document.getElementById(spec.id);
    if (!element) continue;
    const drawMarks = (chart: uPlotType) => {
      const context = chart.ctx as unknown as Canvas;
      const { left, top, width, height } = chart.bbox;
      context.save();
      spec.marks.forEach((mark, index) => {
        const from = Math.max(left, chart.valToPos(mark.fromS, 'x', true));
        const to = mark.toS === null ? left + width : Math.min(left + width, chart.valToPos(mark.toS, 'x', true));
        context.fillStyle = 'rgba(213, 94, 0, 0.18)';
        context.fillRect(from, top, Math.max(2 * pixelRatio, to - from), height);
        if (spec.marks.length <= MAX_LABELLED_MARKS) {
          context.fillStyle = '#8a3c00';
          context.font = `${11 * pixelRatio}px sans-serif`;
          // Staggered: bands that start together would print their numbers over each other.
          context.fillText(String(index + 1), from + 2 * pixelRatio, top + (12 + (index % 3) * 12) * pixelRatio);
        }
      });
      context.restore();
    };
    const points = spec.series.reduce((sum, series) => sum + series.values.filter((value) => value !== null).length, 0);
    const options = {
      width: Math.max(320, element.clientWidth),
      height: 200,
      scales: { x: { time: false } },
      axes: [{ label: spec.xLabel }, { label: spec.yLabel, size: 60 }],
      // Points where a value stands between empty buckets: a line needs two neighbours to show.
      series: [{ label: spec.xLabel }, ...spec.series.map((series) => ({ label: series.label, stroke: series.color, width: 1.5, points: { show: spec.x.length < 60 || series.values.includes(null), size: 4 } }))],
      cursor: spec.sync ? { sync: { key: spec.sync } } : {},
      hooks: {
        draw: [drawMarks],
        ready: [() => element.setAttribute('data-rendered', String(points))],
      },
    };
    new uPlot(options as uPlotType.Options, [spec.x, ...spec.series.map((series) => series.values)] as uPlotType.AlignedData, element as never);
  }
  const buttons = document.querySelectorAll('button.copy');
  for (let index = 0; index < buttons.length; index++) {
    const button = buttons[index];
    const code = button ? document.getElementById(button.id.replace(/^copy-/, '')) : null;
    if (!button || !code) continue;
    // The clipboard may be refused (a file opened without permission): then the command is selected for Ctrl-C.
    const select = () => document.getSelection()?.selectAllChildren(code);
    button.addEventListener('click', () => {
      select();
      clipboard?.writeText(code.textContent ?? '').then(
        () => button.setAttribute('data-copied', 'true'),
        () => undefined,
      );
    });
  }
}

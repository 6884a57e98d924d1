import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

/** What a page showed in Chromium: its errors, every request it made, and each chart's drawing. */
export interface PageCheck {
  consoleErrors: string[];
  pageErrors: string[];
  requests: string[];
  charts: Array<{ id: string; canvas: boolean; width: number; height: number; painted: number; coloured: number; rendered: string | null }>;
  viewpoints: string[];
  notCovered: string[];
  replays: string[];
  injectionRows: string[];
  logSections: string[];
}

/**
 * Runs in the page (a string: the project compiles without the DOM library). A chart counts as
 * drawn when uPlot's canvas has a size, has pixels, and has coloured pixels: uPlot paints axes and
 * grid in greys, so only the series and the injection bands bring colour in.
 */
const INSPECT = `(() => {
  const charts = [...document.querySelectorAll('.chart')].map((element) => {
    const canvas = element.querySelector('canvas');
    if (!canvas) return { id: element.id, canvas: false, width: 0, height: 0, painted: 0, coloured: 0, rendered: element.getAttribute('data-rendered') };
    const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    let coloured = 0;
    for (let i = 0; i < pixels.length; i += 4) {
      if (pixels[i + 3] === 0) continue;
      painted++;
      if (Math.max(pixels[i], pixels[i + 1], pixels[i + 2]) - Math.min(pixels[i], pixels[i + 1], pixels[i + 2]) > 40) coloured++;
    }
    return { id: element.id, canvas: true, width: canvas.width, height: canvas.height, painted, coloured, rendered: element.getAttribute('data-rendered') };
  });
  const text = (selector) => [...document.querySelectorAll(selector)].map((element) => element.textContent.trim());
  return {
    charts,
    viewpoints: [...document.querySelectorAll('section.viewpoint')].map((element) => element.getAttribute('data-viewpoint')),
    notCovered: [...document.querySelectorAll('section.viewpoint')].filter((element) => element.querySelector('.not-covered')).map((element) => element.getAttribute('data-viewpoint')),
    replays: text('.replay code'),
    injectionRows: text('table.injections tbody tr'),
    logSections: text('section.logs h4'),
  };
})()`;

/** Opens `file` in headless Chromium, waits for every chart, inspects it and saves a screenshot. */
export async function checkPage(executablePath: string, file: string, screenshot: string): Promise<PageCheck> {
  // Chromium refuses to run as root with its sandbox on.
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const consoleErrors: string[] = [];
    const pageErrors: string[] = [];
    const requests: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    // Every chart marks itself once uPlot has drawn it; a page error stops the wait at its timeout.
    await page.waitForFunction(`[...document.querySelectorAll('.chart')].every((element) => element.hasAttribute('data-rendered'))`, undefined, { timeout: 15_000 }).catch(() => undefined);
    const inspected = (await page.evaluate(INSPECT)) as Omit<PageCheck, 'consoleErrors' | 'pageErrors' | 'requests'>;
    await page.screenshot({ path: screenshot, fullPage: true });
    return { consoleErrors, pageErrors, requests, ...inspected };
  } finally {
    await browser.close();
  }
}

/**
 * Opens a real report in headless Chromium (Debian's `chromium`, driven by
 * playwright-core), checks it loads without console errors or network requests and
 * shows every chart, the new panels included (small multiples of ready replicas, the
 * zooms on the largest load step and a typical daily ramp, the predictive blend's
 * forecast against the demand), and saves a screenshot to `.vitest-results/report.png`.
 * The workload is real: two and a half days of NASA-HTTP (times at −04:00, a SOURCE.md
 * title) after two days of history for the blend.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it, onTestFinished } from 'vitest';
import { runComparison } from '../compare.js';
import { NEED } from './chartKit.js';
import { buildReport } from './html.js';

const CHROMIUM = '/usr/bin/chromium';
const SCALERS = ['hpa', 'kpa', 'apa', 'predictive', 'oracle'];
const CHARTS = ['demand', 'replicas', 'zoom-step', 'zoom-ramp', 'forecast', 'forecast-zoom', 'ttft', 'cost'];

describe('report.html', () => {
  it.skipIf(!existsSync(CHROMIUM))('loads in Chromium without console errors and shows every chart, the zooms and the forecast included', async () => {
    const c = runComparison({
      capacityRps: 1.063,
      target: 7.33,
      workload: { trace: join(process.env.PRESCALE_SHARED!, 'data/nasa_http_1995/arrivals_1min.csv'), scaleRps: 1, warmupSeconds: 2 * 86_400, durationSeconds: 2.5 * 86_400 },
      scalers: SCALERS,
    });
    const dir = mkdtempSync(join(tmpdir(), 'prescale-report-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'report.html');
    writeFileSync(path, await buildReport(c));
    // A fresh profile directory (Chromium's --user-data-dir) for every run.
    const browser = await chromium.launchPersistentContext(join(dir, 'chromium-profile'), {
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1200, height: 900 },
    });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(e.message));
      const requests: string[] = [];
      page.on('request', (r) => {
        if (!r.url().startsWith('file:')) requests.push(r.url());
      });
      await page.goto(pathToFileURL(path).href);
      expect(errors).toEqual([]);
      expect(requests).toEqual([]);

      // The trace's name, not its file's, and its own clock.
      expect(await page.locator('h1').textContent()).toMatch(/NASA-HTTP/);
      expect(await page.locator('body').textContent()).toContain('nasa_http_1995/arrivals_1min.csv');

      const ids = await page.locator('figure.chart').evaluateAll((figures) => figures.map((f) => f.id));
      expect(ids).toEqual(CHARTS.map((id) => `chart-${id}`));
      for (const id of CHARTS) {
        const svg = page.locator(`#chart-${id} svg`);
        const box = await svg.boundingBox();
        expect(box!.width, id).toBeGreaterThan(400);
        expect(box!.height, id).toBeGreaterThan(150);
        expect(await svg.locator('path').count(), id).toBeGreaterThan(2);
        if (id !== 'demand') expect(await svg.textContent(), id).toContain('UTC−04:00');
      }

      // Small multiples: one panel per scaler, each with two lines (its ready replicas and the need).
      expect(await page.locator('#chart-replicas svg g.mark-line').count()).toBe(2 * SCALERS.length);
      // The SLO line on the TTFT chart.
      expect(await page.locator('#chart-ttft svg g.mark-rule').count()).toBeGreaterThan(0);
      expect(await page.locator('#chart-ttft svg').textContent()).toContain('SLO 2 s');
      // Legends list what their chart draws: the need curve only where it is drawn.
      expect(await page.locator('#chart-ttft svg').textContent()).not.toContain(NEED);
      expect(await page.locator('#chart-cost svg').textContent()).not.toContain(NEED);
      expect(await page.locator('#chart-zoom-step svg').textContent()).toContain(NEED);
      // A colour per scaler, none shared.
      const strokes = await page.locator('#chart-cost svg g.mark-line path').evaluateAll((paths) => paths.map((p) => p.getAttribute('stroke')));
      expect(new Set(strokes).size).toBe(SCALERS.length);
      // The forecast: the lead time marked, the p90 band, the demand that came.
      const zoom = await page.locator('#chart-forecast-zoom svg').textContent();
      expect(zoom).toMatch(/lead time \d+\.\d min/);
      expect(await page.locator('#chart-forecast svg').textContent()).toMatch(/forecast p50–p90.*demand that came|demand that came.*forecast p50–p90/s);
      expect(await page.locator('#chart-forecast-zoom svg g.mark-rect').count()).toBeGreaterThan(0);

      expect(await page.locator('#summary tbody tr').count()).toBe(SCALERS.length);
      const out = join(process.cwd(), '.vitest-results');
      mkdirSync(out, { recursive: true });
      await page.screenshot({ path: join(out, 'report.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  }, 120_000);

  it('records the blend\'s forecasts only: a run without it has none, and no forecast chart', () => {
    const c = runComparison({ capacityRps: 1, target: 7, workload: { pattern: 'severe_fluctuation', durationSeconds: 1800, scaleRps: 4 }, scalers: ['kpa', 'oracle'] });
    expect(c.forecasts).toEqual({});
  });
});

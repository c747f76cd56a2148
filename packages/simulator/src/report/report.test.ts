/**
 * Opens a real report in headless Chromium (Debian's `chromium`, driven by
 * playwright-core), checks it loads without console errors and shows its charts, and
 * saves a screenshot to `.vitest-results/report.png`.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it, onTestFinished } from 'vitest';
import { runComparison } from '../compare.js';
import { buildReport } from './html.js';

const CHROMIUM = '/usr/bin/chromium';

describe('report.html', () => {
  it.skipIf(!existsSync(CHROMIUM))('loads in Chromium without console errors and shows four charts', async () => {
    const c = runComparison({ capacityRps: 1, target: 7, workload: { pattern: 'severe_fluctuation', durationSeconds: 1800, scaleRps: 4 }, scalers: ['hpa', 'kpa', 'apa', 'oracle'] });
    const dir = mkdtempSync(join(tmpdir(), 'prescale-report-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'report.html');
    writeFileSync(path, await buildReport(c));
    // A fresh profile directory (Chromium's --user-data-dir) for every run.
    const browser = await chromium.launchPersistentContext(join(dir, 'chromium-profile'), {
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1100, height: 900 },
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
      const charts = page.locator('figure.chart svg');
      expect(await charts.count()).toBe(4);
      for (let i = 0; i < 4; i++) {
        const box = await charts.nth(i).boundingBox();
        expect(box!.width).toBeGreaterThan(400);
        expect(box!.height).toBeGreaterThan(150);
        expect(await charts.nth(i).locator('path').count()).toBeGreaterThan(2);
      }
      expect(await page.locator('#summary tbody tr').count()).toBe(4);
      const out = join(process.cwd(), '.vitest-results');
      mkdirSync(out, { recursive: true });
      await page.screenshot({ path: join(out, 'report.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  }, 60_000);
});

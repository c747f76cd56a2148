import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { traceName } from './traceName.js';

describe('what a trace is called', () => {
  it('its folder and file, titled by the folder’s SOURCE.md', () => {
    const t = traceName(join(process.env.PRESCALE_SHARED!, 'data/nasa_http_1995/arrivals_1min.csv'));
    expect(t.name).toBe('nasa_http_1995/arrivals_1min.csv');
    expect(t.title).toMatch(/^NASA-HTTP/);
  });
  it('without a SOURCE.md, the title is the name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'prescale-trace-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'traffic.csv');
    writeFileSync(path, 't_start_iso,requests\n');
    expect(traceName(path)).toEqual({ name: `${basename(dir)}/traffic.csv`, title: `${basename(dir)}/traffic.csv` });
  });
});

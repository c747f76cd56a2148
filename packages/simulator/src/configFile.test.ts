import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readConfigFile } from './configFile.js';

describe('readConfigFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'prescale-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('reads durations in the one grammar, in seconds', () => {
    const path = file(
      'sim.yaml',
      ['coldStart: 4m', 'scrapeLag: 0', 'drainGrace: 1m30s', 'window: 250ms', 'slo: { ttft: 1.5s, tpot: 80ms }', 'workload: { pattern: diurnal, warmup: 2w, duration: 1d12h }', 'scalerSettings: { kpa: { loopSeconds: 10 } }'].join('\n'),
    );
    expect(readConfigFile(path)).toEqual({
      coldStartSeconds: 240,
      scrapeLagSeconds: 0,
      drainGraceSeconds: 90,
      windowSeconds: 0.25,
      slo: { ttftSeconds: 1.5, tpotSeconds: 0.08 },
      workload: { pattern: 'diurnal', warmupSeconds: 14 * 86_400, durationSeconds: 36 * 3600 },
      scalerSettings: { kpa: { loopSeconds: 10 } },
    });
  });

  it('refuses a bare number of seconds and a malformed duration, naming the file and field', () => {
    const bare = file('bare.json', JSON.stringify({ coldStart: 240 }));
    expect(() => readConfigFile(bare)).toThrowError(expect.objectContaining({ code: 'InvalidConfig', message: `${bare} coldStart: must be a duration with a unit such as "240s" (a bare number has none)` }));
    const bad = file('bad.yaml', 'workload: { warmup: 14 days }');
    expect(() => readConfigFile(bad)).toThrowError(expect.objectContaining({ code: 'InvalidConfig', field: `${bad} workload.warmup`, message: expect.stringContaining('must be a duration such as') }));
  });
});

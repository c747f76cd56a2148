import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { program } from '../program.js';
import { sharedDir } from '../sharedData.js';
import { formatFailure, runCase, runConformance } from './runner.js';

const vectors = join(sharedDir(), 'conformance');
let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'prescale-conformance-'));
});
afterAll(() => rm(work, { recursive: true, force: true }));

describe('conformance runner on the shared vectors', () => {
  it('passes every case of every file, and counts every case', async () => {
    const files = (await readdir(vectors)).filter((f) => f.endsWith('.json'));
    let total = 0;
    for (const f of files) total += (JSON.parse(await readFile(join(vectors, f), 'utf8')) as { cases: unknown[] }).cases.length;
    const report = await runConformance([vectors]);
    expect(report.results.filter((r) => !r.passed).map(formatFailure)).toEqual([]);
    expect(report.passed).toBe(total);
    expect(new Set(report.results.map((r) => r.kind))).toEqual(new Set(['kpa', 'window', 'hpa-replicas', 'hpa-behavior', 'apa']));
  });
});

describe('conformance runner on vectors it has not seen', () => {
  it('reports a wrong expectation with its id, the expected and the actual value', async () => {
    const kpa = JSON.parse(await readFile(join(vectors, 'knative-kpa.json'), 'utf8'));
    kpa.cases[0].steps[0].expect.desiredReplicas = 7;
    const file = join(work, 'mutated.json');
    await writeFile(file, JSON.stringify(kpa));
    const report = await runConformance([file]);
    expect(report.failed).toBe(1);
    const failure = report.results.find((r) => !r.passed)!;
    expect(formatFailure(failure)).toBe(`FAIL ${kpa.cases[0].id} (kpa, ${file}): steps[0].desiredReplicas: expected 7, got 0`);
  });

  it('counts an unknown kind, a broken case and an unreadable file as failures instead of crashing', async () => {
    const file = join(work, 'odd.json');
    await writeFile(file, JSON.stringify({ suite: 'odd', cases: [{ id: 'u', kind: 'vpa' }, { id: 'h', kind: 'hpa-replicas' }, 42] }));
    const broken = join(work, 'broken.json');
    await writeFile(broken, '{ "cases": [');
    const report = await runConformance([file, broken]);
    expect(report).toMatchObject({ passed: 0, failed: 4 });
    expect(report.results.map((r) => r.error)).toEqual([
      expect.stringMatching(/unknown kind "vpa"/),
      expect.stringMatching(/VectorError: metric must be an object/),
      expect.stringMatching(/unknown kind "\(missing kind\)"/),
      expect.stringMatching(/cannot read JSON/),
    ]);
  });

  it('accepts fields FORMAT.md allows that the shared files do not use', async () => {
    const cases = [
      { id: 'full-legacy', kind: 'hpa-behavior', stage: 'full', currentReplicas: 3, desiredReplicas: 20, minReplicas: 1, maxReplicas: 100, behavior: null, recommendations: [], expect: { replicas: 6, reason: 'ScaleUpLimit' } },
      { id: 'deleting', kind: 'hpa-replicas', metric: { type: 'Pods', target: { type: 'AverageValue', value: 10000 } }, currentReplicas: 2, statusReplicas: 2,
        pods: [{ name: 'a', phase: 'Running', ready: true, valueMilli: 30000 }, { name: 'b', phase: 'Running', ready: true, deleting: true, valueMilli: 0 }], expect: { replicas: 3, rawValueMilli: 30000 } },
      { id: 'no-pods', kind: 'hpa-replicas', metric: { type: 'Pods', target: { type: 'AverageValue', value: 1 } }, currentReplicas: 1, statusReplicas: 1, pods: [], expect: { error: true } },
      { id: 'update', kind: 'kpa', config: { targetValue: 10, totalValue: 10, targetBurstCapacity: 0, panicThreshold: 2, maxScaleUpRate: 10, maxScaleDownRate: 10, stableWindowSeconds: 60, scaleDownDelaySeconds: 0, activationScale: 0, reachable: true },
        initialReadyPods: 1, initialState: { panicSince: null, maxPanicPods: 0 },
        steps: [{ t: 0, readyPods: 1, stable: 30, panic: 30, configUpdate: { targetValue: 5 }, expect: { desiredReplicas: 6, inPanic: true, panicSince: 0 } }] },
      { id: 'bounds', kind: 'apa', config: { targetValue: 10, maxReplicas: 3 }, currentReplicas: 2, metricPerPod: 100, expect: { desiredReplicas: 3 } },
    ];
    const file = join(work, 'extra.json');
    await writeFile(file, JSON.stringify({ suite: 'extra', cases }));
    const report = await runConformance([file]);
    expect(report.results.filter((r) => !r.passed).map(formatFailure)).toEqual([]);
    expect(report.passed).toBe(cases.length);
  });
});

describe('prescale conformance', () => {
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  afterEach(() => {
    log.mockClear();
    process.exitCode = undefined;
  });

  it('ends with "N passed, M failed" and exits 0 when nothing failed', async () => {
    await program().parseAsync(['node', 'prescale', 'conformance', vectors]);
    expect(log.mock.calls.at(-1)?.[0]).toMatch(/^\d+ passed, 0 failed$/);
    expect(process.exitCode).toBeUndefined();
  });

  it('exits 1 when a case fails', async () => {
    const file = join(work, 'one-bad.json');
    await writeFile(file, JSON.stringify({ suite: 'x', cases: [{ id: 'bad', kind: 'apa', config: { targetValue: 30 }, currentReplicas: 2, metricPerPod: 45, expect: { desiredReplicas: 9 } }] }));
    await program().parseAsync(['node', 'prescale', 'conformance', file]);
    expect(log.mock.calls.map((c) => c[0])).toEqual([`FAIL bad (apa, ${file}): desiredReplicas: expected 9, got 3`, '0 passed, 1 failed']);
    expect(process.exitCode).toBe(1);
  });
});

describe('the CLI’s own vectors (multi-metric, KEP-4951 tolerances, the pending-replica rule)', () => {
  it('are found beside the package and all pass', async () => {
    const { bundledVectorsDir } = await import('../commands/conformance.js');
    const dir = bundledVectorsDir();
    expect(dir).not.toBeNull();
    const report = await runConformance([dir as string]);
    expect(report.failed).toBe(0);
    expect(new Set(report.results.map((r) => r.kind))).toEqual(new Set(['multi-metric', 'hpa-replicas', 'apa-pending']));
  });

  it('a multi-metric case with an unknown rule fails and says why', () => {
    const r = runCase('x.json', { id: 'x', kind: 'multi-metric', rule: 'vpa', currentReplicas: 1, proposals: [1], expect: { replicas: 1 } });
    expect(r).toMatchObject({ passed: false, error: expect.stringMatching(/unknown rule "vpa"/) });
  });
});

import { fc, test as prop } from '@fast-check/vitest';
import Ajv from 'ajv-draft-04';
import { describe, expect, test } from 'vitest';
import { podAutoscalerOpenApiSchema } from './crd.js';
import { INVALID_SPECS, VALID_SPEC } from '../testing/invalidSpecs.js';
import { resolveBounds } from './schedules.js';
import { PodAutoscalerSpecSchema } from './spec.js';
import { formatSpecError, validateSpec } from './validateSpec.js';
import { int32Format } from '../testSupport.js';

const RUNS = Math.max(1000, Number(process.env.PRESCALE_FC_RUNS ?? 0));

const base = VALID_SPEC;

describe('validateSpec names the field', () => {
  test.each(INVALID_SPECS)('%s', (_what, change, field) => {
    const r = validateSpec({ ...base, ...change });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.field).toBe(field);
      expect(formatSpecError(r.error)).toMatch(new RegExp(`^${field.replace(/[[\].]/g, '\\$&')}: \\S`));
    }
  });

  test('valid specs of each strategy pass, with defaults left out', () => {
    expect(validateSpec(base).ok).toBe(true);
    expect(validateSpec({ ...base, scalingStrategy: 'APA', observeWindowSeconds: 30 }).ok).toBe(true);
    expect(validateSpec({ ...base, scalingStrategy: 'HPA', behavior: { scaleDown: { policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }] } } }).ok).toBe(true);
    const tuned = { mode: 'auto', history: { endpoint: 'http://p:9090', query: 'q' }, capacityPerReplica: 2, burstQuantile: 0.5, burstWindowSeconds: 30 };
    expect(validateSpec({ ...base, predictive: tuned }).ok).toBe(true);
  });
});

describe('schedules', () => {
  const spec = {
    minReplicas: 1,
    maxReplicas: 10,
    schedules: [
      { name: 'work', timezone: 'Europe/Berlin', daysOfWeek: ['Mon', 'tue', 'wed', 'thu', 'fri'], startTime: '08:00', endTime: '18:00', minReplicas: 4 },
      { name: 'night', timezone: 'Europe/Berlin', startTime: '00:00', endTime: '06:00', maxReplicas: 2 },
    ],
  };
  test.each([
    ['Monday 08:00 Berlin (07:00 UTC in winter) opens the window', '2026-01-05T07:00:00Z', { minReplicas: 4, maxReplicas: 10, activeSchedule: 'work' }],
    ['Monday 07:59 Berlin is before it', '2026-01-05T06:59:00Z', { minReplicas: 1, maxReplicas: 10 }],
    ['the end is exclusive', '2026-01-05T17:00:00Z', { minReplicas: 1, maxReplicas: 10 }],
    ['summer time moves it an hour', '2026-07-06T06:00:00Z', { minReplicas: 4, maxReplicas: 10, activeSchedule: 'work' }],
    ['Saturday is not a workday', '2026-01-10T09:00:00Z', { minReplicas: 1, maxReplicas: 10 }],
    ['a schedule without days applies every day', '2026-01-10T02:00:00Z', { minReplicas: 1, maxReplicas: 2, activeSchedule: 'night' }],
  ])('%s', (_what, iso, bounds) => {
    expect(resolveBounds(spec, Date.parse(iso))).toEqual(bounds);
  });
});

describe('the CRD schema and the zod schema agree', () => {
  const crdSpec = new Ajv({ strict: false, formats: { int32: int32Format } }).compile((podAutoscalerOpenApiSchema().properties as { spec: object }).spec);
  const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
  // A valid spec, then up to two fields replaced by anything at all.
  const source = fc.record(
    {
      metricSourceType: fc.constantFrom('pod', 'prometheus'),
      port: maybe(fc.integer({ min: 1, max: 65535 })),
      path: maybe(fc.constantFrom('/metrics', '/stats')),
      targetMetric: fc.constantFrom('vllm:num_requests_waiting', 'vllm:kv_cache_usage_perc'),
      targetValue: fc.constantFrom('5', '0.5', '10.25', '0'),
      labelMatchers: maybe(fc.dictionary(fc.string({ maxLength: 4 }), fc.string({ maxLength: 4 }), { maxKeys: 2 })),
    },
    { requiredKeys: ['metricSourceType', 'targetMetric', 'targetValue'] },
  );
  const rules = fc.record(
    {
      stabilizationWindowSeconds: maybe(fc.integer({ min: 0, max: 3600 })),
      selectPolicy: maybe(fc.constantFrom('Max', 'Min', 'Disabled')),
      policies: maybe(fc.array(fc.record({ type: fc.constantFrom('Pods', 'Percent'), value: fc.integer({ min: 1, max: 100 }), periodSeconds: fc.integer({ min: 1, max: 1800 }) }), { minLength: 1, maxLength: 2 })),
      tolerance: maybe(fc.double({ min: 0, max: 1, noNaN: true })),
    },
    { requiredKeys: [] },
  );
  const valid = fc.record(
    {
      scaleTargetRef: fc.record({ apiVersion: fc.constant('apps/v1'), kind: fc.constantFrom('Deployment', 'StatefulSet'), name: fc.constantFrom('llm', 'web') }),
      minReplicas: maybe(fc.integer({ min: 0, max: 5 })),
      maxReplicas: fc.integer({ min: 5, max: 50 }),
      scalingStrategy: fc.constantFrom('KPA', 'HPA', 'APA'),
      metricsSources: fc.array(source, { minLength: 1, maxLength: 2 }),
      observeWindowSeconds: maybe(fc.integer({ min: 1, max: 3600 })),
      panicWindowSeconds: maybe(fc.integer({ min: 1, max: 3600 })),
      maxScaleUpRate: maybe(fc.double({ min: 1.01, max: 10, noNaN: true })),
      panicThreshold: maybe(fc.double({ min: 1.1, max: 10, noNaN: true })),
      behavior: maybe(fc.record({ scaleUp: maybe(rules), scaleDown: maybe(rules) }, { requiredKeys: [] })),
      schedules: maybe(
        fc.array(
          fc.record(
            {
              name: fc.constantFrom('work', 'night'),
              timezone: maybe(fc.constantFrom('UTC', 'Europe/Berlin')),
              startTime: fc.constantFrom('09:00', '00:00'),
              endTime: fc.constantFrom('17:00', '23:59'),
              daysOfWeek: maybe(fc.array(fc.constantFrom('mon', 'Sun'), { minLength: 1, maxLength: 2 })),
              minReplicas: maybe(fc.integer({ min: 0, max: 5 })),
              maxReplicas: maybe(fc.integer({ min: 1, max: 9 })),
            },
            { requiredKeys: ['name', 'startTime', 'endTime'] },
          ),
          { minLength: 1, maxLength: 2 },
        ),
      ),
      predictive: maybe(
        fc.record(
          {
            mode: fc.constantFrom('off', 'preview', 'auto'),
            history: maybe(fc.record({ endpoint: fc.constant('http://prometheus:9090'), query: fc.constant('sum(rate(x[5m]))'), lookbackDays: maybe(fc.integer({ min: 1, max: 84 })) }, { requiredKeys: ['endpoint', 'query'] })),
            capacityPerReplica: maybe(fc.double({ min: 0.1, max: 100, noNaN: true })),
            quantile: maybe(fc.double({ min: 0.01, max: 0.99, noNaN: true })),
            targetUtilization: maybe(fc.double({ min: 0.1, max: 1, noNaN: true })),
            leadTimeSeconds: maybe(fc.integer({ min: 0, max: 86400 })),
            model: maybe(fc.constantFrom('auto', 'scryer', 'holt-winters')),
            burstQuantile: maybe(fc.double({ min: 0, max: 1, noNaN: true })),
            burstWindowSeconds: maybe(fc.constantFrom(10, 60, 120)),
            wakeUpHoldSeconds: maybe(fc.integer({ min: 0, max: 86400 })),
            wakeUpWaitsPerGpuHour: maybe(fc.double({ min: 0, max: 1000, noNaN: true })),
          },
          { requiredKeys: ['mode'] },
        ),
      ),
    },
    { requiredKeys: ['scaleTargetRef', 'maxReplicas', 'scalingStrategy', 'metricsSources'] },
  );
  const anything = fc.oneof(
    fc.integer({ min: -5, max: 70_000 }),
    fc.double({ min: -2, max: 20, noNaN: true }),
    fc.constantFrom('', '5', '0.5', '-1', '1e3', '.5', 'five', 'KPA', 'kpa', 'mon', 'monday', '9:00', '24:00', '-x', 'a'.repeat(64), 'pod', 'off', 'on', 'Max', 'max'),
    fc.constant(null),
    fc.constant([]),
    fc.constant({}),
  );
  const PATHS = [
    ['scaleTargetRef'], ['scaleTargetRef', 'kind'], ['scaleTargetRef', 'name'], ['minReplicas'], ['maxReplicas'], ['scalingStrategy'], ['metricsSources'],
    ['metricsSources', 0, 'metricSourceType'], ['metricsSources', 0, 'port'], ['metricsSources', 0, 'targetValue'], ['metricsSources', 0, 'targetMetric'],
    ['metricsSources', 0, 'labelMatchers'], ['metricsSources', 0, 'labelMatchers', 'k'], ['observeWindowSeconds'], ['panicWindowSeconds'], ['maxScaleUpRate'],
    ['panicThreshold'], ['behavior'], ['behavior', 'scaleUp'], ['behavior', 'scaleDown', 'selectPolicy'], ['behavior', 'scaleDown', 'tolerance'],
    ['behavior', 'scaleUp', 'policies'], ['schedules'], ['schedules', 0, 'name'], ['schedules', 0, 'startTime'], ['schedules', 0, 'daysOfWeek'],
    ['predictive'], ['predictive', 'mode'], ['predictive', 'quantile'], ['predictive', 'model'], ['predictive', 'leadTimeSeconds'],
    ['predictive', 'burstQuantile'], ['predictive', 'burstWindowSeconds'], ['predictive', 'wakeUpHoldSeconds'], ['predictive', 'wakeUpWaitsPerGpuHour'],
  ] as const;
  const mutated = fc.tuple(valid, fc.array(fc.tuple(fc.constantFrom(...PATHS), anything), { maxLength: 2 })).map(([s, edits]) => {
    const out = JSON.parse(JSON.stringify(s)) as Record<string, unknown>;
    for (const [path, value] of edits) {
      let node: any = out;
      for (let i = 0; i < path.length - 1; i++) {
        const key = path[i] as string | number;
        if (node[key] === null || typeof node[key] !== 'object') node[key] = typeof path[i + 1] === 'number' ? [{}] : {};
        node = node[key];
      }
      node[path[path.length - 1] as string] = structuredClone(value);
    }
    return out;
  });

  const tally = { accepted: 0, rejected: 0 };
  prop.prop([mutated], { numRuns: RUNS })('the API server (CRD schema) accepts exactly what the controller parses', (s) => {
    const plain = JSON.parse(JSON.stringify(s)) as unknown;
    const accepted = crdSpec(plain);
    expect(accepted).toBe(PodAutoscalerSpecSchema.safeParse(plain).success);
    if (accepted) tally.accepted += 1;
    else tally.rejected += 1;
  });

  test('the generated specs exercise both outcomes', () => {
    // Runs after the property: a property where nearly everything fails one shared check would prove little.
    expect(Math.min(tally.accepted, tally.rejected)).toBeGreaterThan(RUNS / 20);
  });
});

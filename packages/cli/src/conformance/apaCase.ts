/** kind "apa": AIBrix's APA formula and, when given, its bounds (FORMAT.md). */
import { APA_DEFAULTS } from '@prescale/core';
import { type ApaParameters, apaRecommend, clampToBounds } from '@prescale/core/upstream';
import { compareKeys, type Mismatch } from './compare.js';
import { type Json, num, obj, optNum } from './fields.js';

/** The APA formula's parameters from a case's `config`, AIBrix's defaults where it gives none. */
export function apaParameters(config: Json): ApaParameters {
  const param = (key: keyof typeof APA_DEFAULTS & string): number => num(config[key] ?? APA_DEFAULTS[key], `config.${key}`);
  return {
    targetValue: num(config.targetValue, 'config.targetValue'),
    upFluctuationTolerance: param('upFluctuationTolerance'),
    downFluctuationTolerance: param('downFluctuationTolerance'),
    maxScaleUpRate: param('maxScaleUpRate'),
    maxScaleDownRate: param('maxScaleDownRate'),
  };
}

export function runApaCase(c: Json): Mismatch[] {
  const config = obj(c.config, 'config');
  const rec = apaRecommend(apaParameters(config), num(c.currentReplicas, 'currentReplicas'), num(c.metricPerPod, 'metricPerPod'));
  const min = optNum(config.minReplicas, 'config.minReplicas') ?? -Infinity;
  const max = optNum(config.maxReplicas, 'config.maxReplicas') ?? Infinity;
  return compareKeys('', obj(c.expect, 'expect'), { desiredReplicas: clampToBounds(rec.replicas, min, max).replicas });
}

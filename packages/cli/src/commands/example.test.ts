import { describe, expect, it } from 'vitest';
import { runExample, scriptedLoad } from './example.js';

/** Desired replicas per printed row (every 30 s), parsed back from the example's table. */
function desiredByMinute(lines: string[]): Map<number, number> {
  const rows = new Map<number, number>();
  for (const line of lines.slice(2)) {
    const [clock, , , desired] = line.trim().split(/\s+/);
    const [m, s] = clock!.split(':').map(Number);
    rows.set(m! + s! / 60, Number(desired));
  }
  return rows;
}

describe('prescale example', () => {
  it.each(['kpa', 'hpa', 'apa'] as const)('%s follows the scripted load up to its plateau and back down', (name) => {
    const rows = desiredByMinute(runExample(name));
    const plateau = scriptedLoad(8 * 60) / 10; // 120 in flight at 10 per replica
    expect(rows.get(9)).toBeGreaterThanOrEqual(plateau);
    expect(rows.get(16)).toBeLessThanOrEqual(2);
    for (const desired of rows.values()) {
      expect(desired).toBeGreaterThanOrEqual(1);
      expect(desired).toBeLessThanOrEqual(20);
    }
  });
});

import { describe, expect, it, vi } from 'vitest';
import { tuneProgress } from './progress.js';

describe('tuneProgress off a terminal', () => {
  it('writes a line at each tenth of the work with the time left, and nothing in between', () => {
    const lines: string[] = [];
    const write = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (lines.push(String(chunk)), true));
    try {
      let t = 0;
      const progress = tuneProgress(20, () => t);
      for (let i = 0; i < 20; i++) {
        t += 30_000;
        progress.add(1, 'kpa');
      }
      progress.stop();
    } finally {
      write.mockRestore();
    }
    expect(lines).toHaveLength(10);
    expect(lines[0]).toBe('tune: 10 % after 1m 00s (2 runs), about 9m 00s to go\n');
    expect(lines[9]).toBe('tune: 100 % after 10m 00s (20 runs), about 0s to go\n');
  });
});

#!/usr/bin/env node
// Turns `vitest bench --outputJson` files into the markdown tables of docs/benchmarks.md.
// In every group, each benchmark is compared with the group's benchmark whose name
// starts with "baseline", measured in the same process. A group named "... (N per
// iteration)" runs N operations per iteration; its rates are per operation.
// Usage: node scripts/bench-report.mjs bench-results/*.json
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

const fmt = (x, digits = 0) => x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

for (const path of process.argv.slice(2)) {
  const report = JSON.parse(readFileSync(path, 'utf8'));
  for (const file of report.files) {
    for (const group of file.groups) {
      const batch = Number(/\((\d+) per iteration\)/.exec(group.fullName)?.[1] ?? 1);
      const baseline = group.benchmarks.find((b) => b.name.startsWith('baseline'));
      console.log(`\n**${relative(process.cwd(), file.filepath)}: ${group.fullName.split(' > ').slice(1).join(' > ')}**\n`);
      console.log('| benchmark | operations / s | mean per operation | ± (rme) | cost vs baseline |');
      console.log('|---|---:|---:|---:|---:|');
      for (const b of group.benchmarks) {
        const perSecond = b.hz * batch;
        const meanUs = (b.mean * 1000) / batch;
        const ratio = baseline ? `${fmt(baseline.hz / b.hz, 1)}×` : '–';
        console.log(`| ${b.name} | ${fmt(perSecond)} | ${fmt(meanUs, 3)} µs | ${fmt(b.rme, 1)} % | ${ratio} |`);
      }
    }
  }
}

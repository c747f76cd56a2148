#!/usr/bin/env node
// The evidence tables of docs/simulations.md ("Tuned against the defaults") from the
// `--json` files of `prescale tune` runs: per trace, each scaler's defaults and tuned
// configuration on the validation part (the part the search never saw), and the tuned
// predictive blend against the best tuned reactive scaler.
//
// "Best tuned reactive" is chosen as a user would choose it, on the tuning part: the
// cheapest tuned kpa, hpa or apa that met the SLO target there. Its validation figures
// are then what it achieved on the held-out part.
//
// Usage: node scripts/tune-evidence.mjs NAME=FILE.json [NAME=FILE.json ...] [--target 0.99]
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const targetAt = args.indexOf('--target');
const target = targetAt >= 0 ? Number(args[targetAt + 1]) : 0.99;
const runs = args.filter((a, i) => a.includes('=') && (targetAt < 0 || i !== targetAt + 1)).map((a) => a.split('='));
if (runs.length === 0) {
  console.error('usage: node scripts/tune-evidence.mjs NAME=FILE.json [...] [--target 0.99]');
  process.exit(2);
}

const pct = (x) => `${(100 * x).toFixed(2)} %`;
const gh = (x) => x.toFixed(1);

const perScaler = ['| trace | scaler | default GPU-h | default SLO | tuned GPU-h | tuned SLO | tuned vs default | tuned vs oracle |', '|---|---|---:|---:|---:|---:|---:|---:|'];
const versus = ['| trace | best tuned reactive (on tuning) | its GPU-h / SLO (validation) | tuned predictive GPU-h / SLO (validation) | predictive / reactive GPU-h | meets the target on validation (reactive, predictive) |', '|---|---|---:|---:|---:|---|'];
for (const [name, file] of runs) {
  const doc = JSON.parse(readFileSync(file, 'utf8'));
  const oracle = doc.oracle.validation.gpuHours;
  for (const s of doc.scalers) {
    const d = s.default.validation;
    const b = s.best?.validation;
    perScaler.push(
      `| ${name} | ${s.scaler} | ${gh(d.gpuHours)} | ${pct(d.sloAttainment)} | ${b ? gh(b.gpuHours) : '–'} | ${b ? pct(b.sloAttainment) : `none met ${pct(target)}`} | ${b ? `${(b.gpuHours / d.gpuHours).toFixed(2)}×` : '–'} | ${b ? `${(b.gpuHours / oracle).toFixed(2)}×` : '–'} |`,
    );
  }
  const reactive = doc.scalers.filter((s) => s.scaler !== 'predictive' && s.best !== null).sort((a, b) => a.best.tuning.gpuHours - b.best.tuning.gpuHours)[0];
  const predictive = doc.scalers.find((s) => s.scaler === 'predictive');
  if (reactive && predictive?.best) {
    const r = reactive.best.validation;
    const p = predictive.best.validation;
    versus.push(
      `| ${name} | ${reactive.scaler} | ${gh(r.gpuHours)} / ${pct(r.sloAttainment)} | ${gh(p.gpuHours)} / ${pct(p.sloAttainment)} | ${(p.gpuHours / r.gpuHours).toFixed(2)}× | ${r.sloAttainment >= target ? 'yes' : 'no'}, ${p.sloAttainment >= target ? 'yes' : 'no'} |`,
    );
  }
}
console.log(perScaler.join('\n'));
console.log('');
console.log(versus.join('\n'));

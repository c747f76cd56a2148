/** A progress bar on stderr when it is a terminal; silent otherwise (CI, pipes). */
import cliProgress from 'cli-progress';

export interface Progress {
  update(label: string, fraction: number): void;
  stop(): void;
}

export function progressBar(): Progress {
  if (!process.stderr.isTTY) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: '{label} [{bar}] {percentage}%', hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(label, fraction) {
      if (!started) {
        bar.start(100, 0, { label: label.padEnd(10) });
        started = true;
      }
      bar.update(Math.round(fraction * 100), { label: label.padEnd(10) });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

export interface TuneProgress {
  /** `units` of work finished (full-length simulations of the tuning part), the last by `label`. */
  add(units: number, label: string): void;
  stop(): void;
}

/** `1h 02m`, `3m 05s`, `12s`. */
const clock = (s: number) =>
  s >= 3600 ? `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m` : s >= 60 ? `${Math.floor(s / 60)}m ${String(Math.round(s % 60)).padStart(2, '0')}s` : `${Math.round(s)}s`;

/**
 * Progress over units of work with an ETA on stderr: a bar on a terminal; elsewhere (CI,
 * logs) a line at every tenth of the work, as a long tune can take an hour.
 */
export function tuneProgress(total: number, now: () => number = Date.now): TuneProgress {
  if (!process.stderr.isTTY) {
    const start = now();
    let done = 0;
    let runs = 0;
    let tenth = 0;
    return {
      add(units) {
        done += units;
        runs++;
        const share = Math.min(1, done / total);
        if (Math.floor(share * 10) <= tenth) return;
        tenth = Math.floor(share * 10);
        const elapsed = (now() - start) / 1000;
        process.stderr.write(`tune: ${Math.round(share * 100)} % after ${clock(elapsed)} (${runs} runs), about ${clock((elapsed * (1 - share)) / share)} to go\n`);
      },
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: 'tune [{bar}] {percentage}% | ETA {eta_formatted} | {runs} runs, last {label}', hideCursor: true, clearOnComplete: true, etaBuffer: 50 },
    cliProgress.Presets.shades_classic,
  );
  let done = 0;
  let runs = 0;
  bar.start(Math.ceil(total * 100), 0, { runs: 0, label: '' });
  return {
    add(units, label) {
      done += units;
      runs++;
      bar.update(Math.min(Math.ceil(total * 100), Math.round(done * 100)), { runs, label });
    },
    stop: () => bar.stop(),
  };
}

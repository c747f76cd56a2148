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

/** A progress bar over units of work with an ETA, on stderr when it is a terminal. */
export function tuneProgress(total: number): TuneProgress {
  if (!process.stderr.isTTY) return { add() {}, stop() {} };
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

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

// A worker of `prescale tune`'s pool (piscina): one simulation per task, on the built
// simulator. Plain JavaScript so it runs the same from the sources' tests and the build.
import { runTuneTask } from '@prescale/simulator';

export default function tuneTask(input) {
  return runTuneTask(input);
}

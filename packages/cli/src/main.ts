import { runCli } from './run.js';

void runCli(process.argv).then((code) => {
  process.exitCode = code;
});

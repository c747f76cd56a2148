import { program } from './program.js';

program()
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    console.error(`prescale: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 2;
  });

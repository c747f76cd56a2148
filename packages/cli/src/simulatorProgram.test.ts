import { describe, expect, it } from 'vitest';
import { program } from './program.js';
import { SIMULATOR_COMMANDS, simulatorProgram } from './simulatorProgram.js';

/** The help text of `prescale <name>` in a program. */
function helpOf(p: ReturnType<typeof program>, name: string): string {
  const command = p.commands.find((c) => c.name() === name);
  if (!command) throw new Error(`no ${name} command`);
  return command.helpInformation();
}

describe('simulatorProgram', () => {
  it('serves simulate and profile exactly as the whole program does', () => {
    const light = simulatorProgram();
    expect(light.commands.map((c) => c.name())).toEqual(SIMULATOR_COMMANDS);
    for (const name of SIMULATOR_COMMANDS) expect(helpOf(light, name)).toBe(helpOf(program(), name));
    expect([light.name(), light.description(), light.version()]).toEqual([program().name(), program().description(), program().version()]);
  });
});

/** What the production-install test reads from the Dockerfile. */
export interface DockerfileCommands {
  /** Every `RUN` instruction's command, continuation lines joined. */
  readonly runs: readonly string[];
  /** The final `CMD`, in exec form. */
  readonly cmd: readonly string[];
  readonly user: string | undefined;
  readonly volumes: readonly string[];
  /** The `HEALTHCHECK` instruction's text. */
  readonly healthcheck: string | undefined;
  /** How many `FROM` stages. */
  readonly stages: number;
}

/** Splits a Dockerfile into instructions (comments dropped, `\` continuations joined). */
function instructions(text: string): { keyword: string; rest: string }[] {
  const joined = text
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('\n')
    .replace(/\\\n/g, ' ');
  return joined
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => {
      const space = line.indexOf(' ');
      return { keyword: line.slice(0, space).toUpperCase(), rest: line.slice(space + 1).trim() };
    });
}

/** Reads the commands, user, volumes and health check of a Dockerfile. */
export function parseDockerfile(text: string): DockerfileCommands {
  const all = instructions(text);
  const of = (keyword: string): string[] => all.filter((i) => i.keyword === keyword).map((i) => i.rest);
  const cmd = of('CMD').at(-1);
  return {
    runs: of('RUN').flatMap((run) => run.split('&&').map((part) => part.replace(/\s+/g, ' ').trim())),
    cmd: cmd === undefined ? [] : (JSON.parse(cmd) as string[]),
    user: of('USER').at(-1),
    volumes: of('VOLUME'),
    healthcheck: of('HEALTHCHECK').at(-1),
    stages: of('FROM').length,
  };
}

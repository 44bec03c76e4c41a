import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** Finds a free loopback port (listen on 0, read it, close). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A `serve` process started as `npm start` starts it: the compiled modules in dist/node/ (the tests'
 * global setup compiles them) under plain Node with the same flags.
 */
export interface ServeProcess {
  readonly child: ChildProcess;
  /** Everything the process printed (stdout and stderr). */
  output(): string;
  /** Resolves with the exit code (or signal name) once the process has ended. */
  exited: Promise<number | string>;
}

/** Starts `serve` in a child process and resolves once its banner says it is listening. */
export async function startServeProcess(
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<ServeProcess> {
  const child = spawn(process.execPath, ['--max-semi-space-size=4', 'dist/node/cli/main.js', 'serve'], {
    env: { PATH: process.env['PATH'] ?? '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  const deadline = Date.now() + timeoutMs;
  while (!output.includes('Segment ingestion')) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`serve exited early:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`serve did not start within ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { child, output: () => output, exited };
}

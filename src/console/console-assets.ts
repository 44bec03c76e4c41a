import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { FastifyInstance } from 'fastify';
import { type ConsoleContext, sessionOf } from './console-context.js';
import { CONSOLE_STYLE } from './pages/console-page.js';
import { DESTINATIONS_SCRIPT } from './pages/console-script.js';
import { DEAD_LETTERS_SCRIPT } from './pages/dead-letters-script.js';

/** uPlot's files, served by the product from its installed package: the page loads nothing from a CDN. */
const UPLOT_FILES: Readonly<Record<string, { readonly file: string; readonly type: string }>> = {
  'uplot.js': { file: 'uplot/dist/uPlot.iife.min.js', type: 'text/javascript; charset=utf-8' },
  'uplot.css': { file: 'uplot/dist/uPlot.min.css', type: 'text/css; charset=utf-8' },
};

/** The console's own script and styles, held as text. */
const OWN_FILES: Readonly<Record<string, { readonly text: string; readonly type: string }>> = {
  'console.js': {
    text: `(() => {${DESTINATIONS_SCRIPT}${DEAD_LETTERS_SCRIPT}})();`,
    type: 'text/javascript; charset=utf-8',
  },
  'console.css': { text: CONSOLE_STYLE, type: 'text/css; charset=utf-8' },
};

/** Registers `/console/assets/*`, for signed-in sessions only; uPlot's files are read once, on first use. */
export function registerConsoleAssets(scope: FastifyInstance, context: ConsoleContext): void {
  const resolve = createRequire(import.meta.url).resolve;
  const cache = new Map<string, Promise<Buffer>>();
  scope.get<{ Params: { name: string } }>('/assets/:name', async (request, reply) => {
    if (sessionOf(context, request) === undefined) return reply.code(401).send({ error: 'sign_in_required' });
    const { name } = request.params;
    const own = OWN_FILES[name];
    if (own !== undefined) return reply.type(own.type).send(own.text);
    const uplot = UPLOT_FILES[name];
    if (uplot === undefined) return reply.code(404).send({ error: 'not_found' });
    let body = cache.get(name);
    if (body === undefined) {
      body = readFile(resolve(uplot.file));
      cache.set(name, body);
    }
    return reply.type(uplot.type).send(await body);
  });
}

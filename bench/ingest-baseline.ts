/**
 * The baseline of the ingestion benchmark: a bare Fastify server (the framework the product uses) that
 * only reads the body, parses it as JSON and answers 200, with no auth, validation or storage.
 * Prints `listening <url>` once ready. Run: `npx tsx bench/ingest-baseline.ts`.
 */
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.removeAllContentTypeParsers();
app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 600 * 1024 }, (_request, body, done) => {
  try {
    done(null, JSON.parse(String(body)) as unknown);
  } catch (error: unknown) {
    done(error instanceof Error ? error : new TypeError('invalid JSON'), undefined);
  }
});
app.post('/v1/batch', () => ({ success: true }));
const url = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`listening ${url}\n`);
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));

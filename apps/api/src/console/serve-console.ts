import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fastifyStatic } from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** Where the investigator console is served (API.md "Investigator console (web)"). */
export const CONSOLE_PATH = '/console';

/**
 * Where `npm run build` puts the console (`build:console`, apps/console/vite.config.mts): beside the compiled
 * api, `dist/apps/api/console` for `dist/apps/api/src/console/serve-console.js`.
 */
export const BUILT_CONSOLE_DIR = resolve(__dirname, '..', '..', 'console');

/**
 * The page runs only its own script and style and talks only to this origin; it shows what investigated events
 * hold, so nothing they contain may run as script or be framed into another page.
 */
export const CONSOLE_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

async function securityHeaders(instance: FastifyInstance): Promise<void> {
  instance.addHook('onSend', async (_request, reply) => {
    reply.header('content-security-policy', CONSOLE_CONTENT_SECURITY_POLICY);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
  });
}

/**
 * Serves the built console under /console (a static front end: every read it makes goes through the public,
 * audited investigator API). Without a build, /console answers a problem that says how to make one.
 */
export function serveConsole(app: NestFastifyApplication, directory: string = BUILT_CONSOLE_DIR): void {
  const built = existsSync(join(directory, 'index.html'));
  void app
    .getHttpAdapter()
    .getInstance()
    .register(async (instance) => {
      await securityHeaders(instance);
      if (!built) {
        const notBuilt = async (_request: unknown, reply: FastifyReply) =>
          reply.code(404).type('application/problem+json').send({
            type: 'about:blank',
            title: 'Console not built',
            status: 404,
            detail: 'The investigator console is built by `npm run build`; this process found no build to serve.',
            code: 'console_not_built',
          });
        instance.get(CONSOLE_PATH, notBuilt);
        instance.get(`${CONSOLE_PATH}/*`, notBuilt);
        return;
      }
      // `/console` → `/console/`, the page's own address (the one people are told to open has no slash).
      instance.get(CONSOLE_PATH, async (_request, reply) => reply.redirect(`${CONSOLE_PATH}/`, 301));
      await instance.register(fastifyStatic, {
        root: directory,
        prefix: `${CONSOLE_PATH}/`,
        // Swagger UI (/docs) has registered the plugin already; only one may decorate the reply.
        decorateReply: false,
        index: 'index.html',
        dotfiles: 'deny',
        setHeaders: (reply, path) => {
          // Assets carry a content hash in their name; the page itself must be fetched fresh after a deploy.
          reply.header('cache-control', path.endsWith('.html') ? 'no-cache' : 'public, max-age=31536000, immutable');
        },
      });
    });
}

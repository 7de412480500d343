import Fastify, { type FastifyInstance } from 'fastify';
import { registerControl } from './control';
import type { Engine } from './engine';
import type { Faults } from './faults';
import { type CommitListener, createApi } from './http';
import { registerApi2010 } from './resources/api2010';
import { registerEvents } from './resources/events';
import { registerMessaging } from './resources/messaging';
import { registerTrustHub } from './resources/trusthub';
import { errorBody, parseForm } from './wire';

/** The fastify app: Twilio's hosts under /trusthub, /messaging, /api and /events, the control API under /sandbox. */
export function buildServer(
  engine: Engine,
  faults: Faults,
  logger: boolean,
  commitListeners: Set<CommitListener> = new Set(),
): FastifyInstance {
  const app = Fastify({ logger, bodyLimit: 1024 * 1024 });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, parseForm(typeof body === 'string' ? body : body.toString('utf8')));
  });
  const api = createApi(app, engine, faults, commitListeners);
  registerTrustHub(api);
  registerMessaging(api);
  registerApi2010(api);
  registerEvents(api);
  registerControl(app, engine, faults);
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0] ?? req.url;
    return reply.code(404).send(errorBody(404, 20404, `The requested resource ${path} was not found`));
  });
  return app;
}

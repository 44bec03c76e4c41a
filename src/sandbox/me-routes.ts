import type { FastifyInstance } from 'fastify';
import type { Store } from './store.js';

/** Registers `GET /me`: the admin behind the token, with the workspace's `app.id_code` (the App ID). */
export function registerMeRoutes(api: FastifyInstance, store: Store): void {
  api.get('/me', (_request, reply) => {
    void reply.send({
      type: 'admin',
      id: '1',
      name: 'Sandbox Admin',
      email: 'admin@sandbox.invalid',
      email_verified: true,
      away_mode_enabled: false,
      away_mode_reassign: false,
      has_inbox_seat: true,
      team_ids: [],
      app: {
        type: 'app',
        id_code: store.settings.appId,
        name: 'Intercom sandbox',
        created_at: 0,
        secure: false,
        identity_verification: false,
        timezone: 'UTC',
        region: 'US',
      },
    });
  });
}

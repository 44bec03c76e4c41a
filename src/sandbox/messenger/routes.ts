import type { FastifyInstance } from 'fastify';

/** Registers the stand-in Messenger script and demo page (device mode); empty until that part lands. */
export function registerMessengerRoutes(_app: FastifyInstance): void {}

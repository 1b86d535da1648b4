import type { FastifyRequest } from 'fastify';
import { principalOf } from '../auth/plugin.js';
import type { CommandContext } from '../commands/command.js';

export function commandContext(req: FastifyRequest): CommandContext {
  const { db, clock } = req.server.services;
  return { db, clock, actor: principalOf(req), requestId: req.id };
}

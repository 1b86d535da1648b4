import type { FastifyRequest } from 'fastify';
import { principalOf } from '../auth/plugin.js';
import type { CommandContext } from '../commands/command.js';

export function commandContext(req: FastifyRequest): CommandContext {
  const { db, clock, codeChecks, auditMac } = req.server.services;
  // A code's public check reads its inspection: this instance forgets a changed one as the command commits.
  return { db, clock, auditMac, actor: principalOf(req), requestId: req.id, afterCommit: (subjects) => codeChecks.forget(subjects) };
}

/**
 * The moderators' live queue of proposed cases: sockets of moderators and admins watch
 * `moderation:cases` (`moderation:watch` with slug `cases`, the room moderation/live.ts lets them
 * join) and hear `case:proposed` for every new proposal, on every node (emitted through the adapter).
 */
import type { FastifyInstance } from 'fastify';
import type { CaseProposedEvent } from '@opsi/contracts/proposals';

export const PROPOSALS_ROOM = 'moderation:cases';

export function announceProposal(fastify: FastifyInstance, event: CaseProposedEvent): void {
  fastify.io.to(PROPOSALS_ROOM).emit('case:proposed', event);
}

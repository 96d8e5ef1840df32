import type { FastifyReply } from 'fastify';

/** Salesforce's JSON content type; jsforce only parses `application/json(;|$)` (reference 2). */
export const JSON_TYPE = 'application/json;charset=UTF-8';

export function sendJson(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply.code(status).header('content-type', JSON_TYPE).send(JSON.stringify(body));
}

export function sendNoContent(reply: FastifyReply): FastifyReply {
  return reply.code(204).send();
}

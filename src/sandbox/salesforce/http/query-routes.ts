import type { FastifyInstance } from 'fastify';
import { EmulatorContext } from '../context';

export function registerQueryRoutes(_app: FastifyInstance, _ctx: EmulatorContext): void {}

import type { FastifyInstance } from 'fastify';
import { EmulatorContext } from '../context';

export function registerControlRoutes(_app: FastifyInstance, _ctx: EmulatorContext): void {}

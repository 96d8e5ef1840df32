import type { FastifyInstance } from 'fastify';
import { EmulatorContext } from '../context';

export function registerCompositeRoutes(_app: FastifyInstance, _ctx: EmulatorContext): void {}

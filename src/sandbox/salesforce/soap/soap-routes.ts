import type { FastifyInstance } from 'fastify';
import { EmulatorContext } from '../context';

export function registerSoapRoutes(_app: FastifyInstance, _ctx: EmulatorContext): void {}

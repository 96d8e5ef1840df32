import type { FastifyInstance } from 'fastify';
import { EmulatorContext } from '../context';

export function registerBulk2Routes(_app: FastifyInstance, _ctx: EmulatorContext): void {}

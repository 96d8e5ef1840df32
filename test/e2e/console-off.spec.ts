import 'reflect-metadata';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import pino from 'pino';
import { ConsoleModule, OperatorBindings } from '../../src/console';
import { HealthRegistry } from '../../src/observability/health-registry';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

describe('operator console without ADMIN_TOKEN', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    db = await createTestDatabase();
    const options = { db: db.pool, adminToken: null, health: new HealthRegistry(), bindings: new OperatorBindings(), logger: pino({ level: 'silent' }), secureCookie: false };
    const moduleRef = await Test.createTestingModule({ imports: [ConsoleModule.forRoot(options)] }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: false });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  it('does not exist: every page, the sign-in and the assets answer 404', async () => {
    for (const url of ['/console', '/console/sign-in', '/console/dead-letters', '/console/records?q=a@b.c', '/console/assets/console.js']) {
      expect((await app.inject({ method: 'GET', url })).statusCode).toBe(404);
    }
    const signIn = await app.inject({ method: 'POST', url: '/console/sign-in', payload: { token: '' } });
    expect(signIn.statusCode).toBe(404);
  });
});

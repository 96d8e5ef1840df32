import 'reflect-metadata';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { AdminModule } from '../../src/admin';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const TOKEN = 'admin-secret-token-for-tests';

/** Issue 13.8: an id that cannot name a record (a NUL byte, letters in a monday id) is a 400 naming it, never a 500. */
describe('admin record history: ids that cannot be records', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  const auth = { authorization: `Bearer ${TOKEN}` };
  const get = (url: string) => app.inject({ method: 'GET', url, headers: auth });

  beforeAll(async () => {
    db = await createTestDatabase();
    const moduleRef = await Test.createTestingModule({ imports: [AdminModule.forRoot({ db: db.pool, adminToken: TOKEN })] }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: false });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  it.each([
    ['/admin/records/monday/a%00b/history', 'monday item id must be digits, got "a\\u0000b"'],
    ['/admin/records/monday/12ab/history', 'monday item id must be digits, got "12ab"'],
    ['/admin/records/salesforce/00Q%00000000000501/history', 'salesforce id must be a 15- or 18-character Salesforce Id'],
    ['/admin/records/salesforce/not-an-id/history', 'salesforce id must be a 15- or 18-character Salesforce Id'],
  ])('%s answers 400 naming the id', async (url, message) => {
    const response = await get(url);
    expect(response.statusCode).toBe(400);
    expect((response.json() as { message: string }).message).toContain(message);
  });

  it('a well-formed id with nothing known is still 404', async () => {
    expect((await get('/admin/records/monday/123456789/history')).statusCode).toBe(404);
    expect((await get('/admin/records/salesforce/00Q000000000501/history')).statusCode).toBe(404);
  });
});

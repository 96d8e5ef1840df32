import type { FastifyInstance, FastifyReply } from 'fastify';
import { AutomationRule } from '../cdc/automation-rules';
import { GapChangeType } from '../cometd/gap-change-event';
import { EmulatorContext } from '../context';
import { OrgSnapshot } from '../org';
import { seedDemoOrg } from '../seed/demo-org';
import { SaveOutcome } from '../store/record-writer';
import { registerDuplicateControlRoutes } from './duplicate-control-routes';
import { FaultSpec } from './fault-injector';
import { SalesforceControl, SeedRecord } from './salesforce-control';

type Body = Record<string, unknown>;

/**
 * The control API over HTTP, under `/__sandbox/` (a path real Salesforce does not have). Same
 * operations as SalesforceControl; no authentication, not counted against the API allocation.
 */
export function registerControlRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  const control = new SalesforceControl(ctx);
  const body = (raw: unknown): Body => (typeof raw === 'object' && raw !== null ? (raw as Body) : {});
  const userOf = (b: Body, q: unknown) => ({
    userId: typeof b.userId === 'string' ? b.userId : (q as { userId?: string }).userId,
  });
  const fields = (b: Body): Record<string, unknown> => body(b.fields);
  registerDuplicateControlRoutes(app, ctx);

  app.post('/__sandbox/records/:type', async (req, reply) => {
    const b = body(req.body);
    return outcome(reply, control.createAsHuman(param(req.params, 'type'), fields(b), userOf(b, req.query)));
  });
  app.patch('/__sandbox/records/:type/:id', async (req, reply) => {
    const b = body(req.body);
    return outcome(reply, control.updateAsHuman(param(req.params, 'type'), param(req.params, 'id'), fields(b), userOf(b, req.query)));
  });
  app.delete('/__sandbox/records/:type/:id', async (req, reply) =>
    outcome(reply, control.deleteAsHuman(param(req.params, 'type'), param(req.params, 'id'), userOf({}, req.query))),
  );
  app.post('/__sandbox/records/:type/:id/undelete', async (req, reply) =>
    outcome(reply, control.undeleteAsHuman(param(req.params, 'id'), userOf(body(req.body), req.query))),
  );
  app.get('/__sandbox/records/:type', async (req) => {
    const q = req.query as { includeDeleted?: string };
    return control.records(param(req.params, 'type'), { includeDeleted: q.includeDeleted === 'true' });
  });
  app.get('/__sandbox/records/:type/:id', async (req, reply) => {
    const record = control.getRecord(param(req.params, 'id'));
    return record ? record : reply.code(404).send({ error: 'not found' });
  });

  app.post('/__sandbox/seed', async (req) => {
    const b = body(req.body);
    if (b.demo === true) return seedDemoOrg({ control });
    return { ids: control.seed((Array.isArray(b.records) ? b.records : []) as SeedRecord[], userOf(b, req.query)) };
  });
  app.get('/__sandbox/snapshot', async () => control.snapshot());
  app.post('/__sandbox/restore', async (req) => {
    control.restore(req.body as OrgSnapshot);
    return { restored: true };
  });

  app.get('/__sandbox/requests', async () => control.requests());
  app.delete('/__sandbox/requests', async () => {
    control.clearRequests();
    return { cleared: true };
  });

  app.post('/__sandbox/faults', async (req) => ({ id: control.injectFault(req.body as FaultSpec) }));
  app.get('/__sandbox/faults', async () => control.faults());
  app.delete('/__sandbox/faults', async () => {
    control.clearFaults();
    return { cleared: true };
  });

  app.get('/__sandbox/clock', async () => ({ now: control.now() }));
  app.post('/__sandbox/clock/advance', async (req) => {
    control.advanceClock(Number(body(req.body).ms ?? 0));
    return { now: control.now() };
  });
  app.post('/__sandbox/sessions/expire', async () => {
    control.expireSessions();
    return { expired: true };
  });
  app.post('/__sandbox/refresh-tokens', async (req) => {
    const b = body(req.body);
    return { refreshToken: control.issueRefreshToken(typeof b.userId === 'string' ? b.userId : undefined) };
  });
  app.get('/__sandbox/api-usage', async () => control.apiUsage());
  app.put('/__sandbox/api-usage', async (req) => {
    const b = body(req.body);
    control.setApiUsage({
      used: typeof b.used === 'number' ? b.used : undefined,
      max: typeof b.max === 'number' ? b.max : undefined,
    });
    return control.apiUsage();
  });

  app.post('/__sandbox/cdc/gap', async (req) => {
    const b = body(req.body);
    const changeType = typeof b.changeType === 'string' ? (b.changeType as GapChangeType) : undefined;
    control.injectGap(String(b.entityName), (Array.isArray(b.recordIds) ? b.recordIds : []).map(String), { changeType });
    return { injected: true };
  });
  app.post('/__sandbox/cdc/overflow', async (req) => {
    control.injectOverflow(String(body(req.body).entityName));
    return { injected: true };
  });
  app.post('/__sandbox/cdc/redeliver', async (req) => {
    control.redeliverChangeEvents(Number(body(req.body).count ?? 1));
    return { redelivered: true };
  });
  app.post('/__sandbox/cdc/hold', async (req) => {
    const b = body(req.body);
    control.holdChangeEventChannel(String(b.channel), Number(b.ms ?? 1000));
    return { held: true };
  });
  app.post('/__sandbox/cdc/entities', async (req) => {
    const b = body(req.body);
    control.setChangeDataCapture(String(b.entityName), b.enabled === true);
    return { entityName: b.entityName, enabled: b.enabled === true };
  });
  app.post('/__sandbox/cometd/drop-clients', async () => {
    control.dropCometdClients();
    return { dropped: true };
  });
  app.post('/__sandbox/cometd/drop-clients-at-subscribe', async (req) => {
    const count = Number(body(req.body).count ?? 1);
    control.dropCometdClientsAtSubscribe(count);
    return { count };
  });

  app.post('/__sandbox/automations', async (req) => {
    control.addAutomation(req.body as AutomationRule);
    return { added: true };
  });
  app.delete('/__sandbox/automations/:id', async (req) => {
    control.removeAutomation(param(req.params, 'id'));
    return { removed: true };
  });
  app.delete('/__sandbox/automations', async () => {
    control.clearAutomations();
    return { cleared: true };
  });
}

function param(params: unknown, name: string): string {
  return String((params as Record<string, unknown>)[name] ?? '');
}

function outcome(reply: FastifyReply, result: SaveOutcome): FastifyReply {
  return reply.code(result.ok ? 200 : 400).send(result);
}

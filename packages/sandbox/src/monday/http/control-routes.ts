import type { FastifyInstance, FastifyReply } from 'fastify';
import type { BoardSpec } from '../board-actions';
import type { MondayControl, SeedItem } from '../control/control-api';
import type { FaultSpec } from '../control/faults';
import { MondayApiError } from '../errors';
import type { StateSnapshot } from '../state/model';

type Body = Record<string, unknown>;

function actor(body: Body): { asUserId?: number } {
  return body.asUserId === undefined ? {} : { asUserId: Number(body.asUserId) };
}

/** The control API over HTTP under `/__sandbox/` (a path monday does not have); same operations as MondayControl. */
export function registerControlRoutes(app: FastifyInstance, control: MondayControl): void {
  const run = async (reply: FastifyReply, fn: () => unknown): Promise<void> => {
    try {
      const result = await fn();
      await reply.code(200).send(result === undefined ? { ok: true } : result);
    } catch (error) {
      if (error instanceof MondayApiError) {
        await reply.code(400).send({ error: error.code, message: error.message, error_data: error.errorData });
        return;
      }
      await reply.code(400).send({ error: 'BadRequest', message: error instanceof Error ? error.message : String(error) });
    }
  };
  const body = (req: { body: unknown }): Body => (req.body ?? {}) as Body;
  const id = (req: { params: unknown }): number => Number((req.params as { id: string }).id);

  app.get('/__sandbox/users', (_req, reply) => run(reply, () => control.users()));
  app.post('/__sandbox/users', (req, reply) =>
    run(reply, () => {
      const b = body(req);
      return control.addUser({ name: String(b.name ?? ''), email: String(b.email ?? ''), title: b.title as string | undefined, isAdmin: b.isAdmin === true });
    }),
  );
  app.get('/__sandbox/boards', (_req, reply) => run(reply, () => control.boards()));
  app.post('/__sandbox/boards', (req, reply) => run(reply, () => control.seedBoard(body(req) as unknown as BoardSpec)));
  app.get('/__sandbox/boards/:id/items', (req, reply) => run(reply, () => control.listItems(id(req))));
  app.post('/__sandbox/boards/:id/items', (req, reply) => run(reply, () => control.seedItems(id(req), (body(req).items ?? []) as SeedItem[])));

  app.post('/__sandbox/items', (req, reply) =>
    run(reply, () => {
      const b = body(req);
      return control.createItem({
        boardId: Number(b.boardId),
        name: String(b.name),
        groupId: b.groupId as string | undefined,
        columnValues: b.columnValues as Record<string, unknown> | undefined,
        ...actor(b),
      });
    }),
  );
  app.get('/__sandbox/items/:id', (req, reply) => run(reply, () => control.getItem(id(req)) ?? null));
  app.post('/__sandbox/items/:id/column-values', (req, reply) =>
    run(reply, () => control.changeColumnValues({ itemId: id(req), columnValues: body(req).columnValues as Record<string, unknown>, ...actor(body(req)) })),
  );
  app.post('/__sandbox/items/:id/name', (req, reply) => run(reply, () => control.renameItem({ itemId: id(req), name: String(body(req).name), ...actor(body(req)) })));
  app.post('/__sandbox/items/:id/delete', (req, reply) => run(reply, () => control.deleteItem({ itemId: id(req), ...actor(body(req)) })));
  app.post('/__sandbox/items/:id/archive', (req, reply) => run(reply, () => control.archiveItem({ itemId: id(req), ...actor(body(req)) })));
  app.post('/__sandbox/items/:id/restore', (req, reply) => run(reply, () => control.restoreItem({ itemId: id(req), ...actor(body(req)) })));
  app.post('/__sandbox/items/:id/move', (req, reply) => run(reply, () => control.moveItem({ itemId: id(req), groupId: String(body(req).groupId), ...actor(body(req)) })));
  app.post('/__sandbox/items/:id/links', (req, reply) =>
    run(reply, () =>
      control.linkItems({
        itemId: id(req),
        columnId: String(body(req).columnId),
        linkedItemIds: ((body(req).linkedItemIds ?? []) as unknown[]).map(Number),
        ...actor(body(req)),
      }),
    ),
  );
  app.post('/__sandbox/items/:id/updates', (req, reply) => run(reply, () => control.createUpdate({ itemId: id(req), body: String(body(req).body), ...actor(body(req)) })));

  app.get('/__sandbox/snapshot', (_req, reply) => run(reply, () => control.snapshot()));
  app.post('/__sandbox/restore', (req, reply) => run(reply, () => control.restore(body(req) as unknown as StateSnapshot)));
  app.get('/__sandbox/requests', (_req, reply) => run(reply, () => control.requestLog()));
  app.delete('/__sandbox/requests', (_req, reply) => run(reply, () => control.clearRequestLog()));
  app.get('/__sandbox/faults', (_req, reply) => run(reply, () => control.faults()));
  app.post('/__sandbox/faults', (req, reply) => run(reply, () => control.addFault(body(req) as unknown as FaultSpec)));
  app.delete('/__sandbox/faults', (_req, reply) => run(reply, () => control.clearFaults()));
  app.get('/__sandbox/clock', (_req, reply) => run(reply, () => ({ now: new Date(control.now()).toISOString() })));
  app.post('/__sandbox/clock/advance', (req, reply) => run(reply, () => control.advanceClock(Number(body(req).ms))));
  app.post('/__sandbox/webhooks/pause', (_req, reply) => run(reply, () => control.pauseWebhooks()));
  app.post('/__sandbox/webhooks/resume', (_req, reply) => run(reply, () => control.resumeWebhooks()));
  app.get('/__sandbox/webhooks', (_req, reply) => run(reply, () => control.webhooks()));
  app.get('/__sandbox/webhooks/deliveries', (_req, reply) => run(reply, () => control.webhookDeliveries()));
  app.delete('/__sandbox/webhooks/deliveries', (_req, reply) => run(reply, () => control.clearWebhookDeliveries()));
  app.get('/__sandbox/webhooks/stats', (_req, reply) => run(reply, () => control.webhookStats()));
  app.post('/__sandbox/rate-limits/reset', (_req, reply) => run(reply, () => control.resetRateLimits()));
  app.get('/__sandbox/daily-calls', (_req, reply) => run(reply, () => control.dailyCalls()));
  app.post('/__sandbox/daily-calls', (req, reply) =>
    run(reply, () => {
      const { used, limit } = body(req);
      control.setDailyCalls({ used: used === undefined ? undefined : Number(used), limit: limit === undefined ? undefined : Number(limit) });
    }),
  );
}

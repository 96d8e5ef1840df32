import { Controller, Get, Inject, NotFoundException, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { recordHistory } from '../admin/record-history';
import { clustersDocument, DuplicatesError } from '../data-quality/duplicates';
import { parseMemberRef } from '../data-quality/merge-plan';
import { countParkedEvents, listParkedEvents, requestParkedRetry } from '../event-store/parked-events';
import { listProgress } from '../migration/backfill-progress';
import { isRejectedValue, listDeadLetters, outboxStatus, retryDeadLetter } from '../outbox/dead-letters';
import { recordKeysByIds } from '../sync-projector/record-keys';
import { salesforceFieldsOf } from '../mapping/mapping.types';
import { isSalesforceId } from '../mapping/salesforce-id';
import { CONSOLE_OPTIONS, type ConsoleOptions } from './console-options';
import { discardDeadLetter, errorCodeOf, findDeadLetters, pipelineLag, recordFields, searchRecords, usageSamples } from './console-queries';
import { ConsoleSessions, randomToken, readCookie, secretsMatch, SESSION_COOKIE, sessionCookie, SIGN_IN_COOKIE, type ConsoleSession } from './console-sessions';
import { html, type SafeHtml } from './html';
import { listReconcileRuns } from './reconcile-runs';
import { DemoError, SandboxDemo } from './sandbox-demo';
import { CONSOLE_CSS, CONSOLE_JS } from './views/assets';
import { deadLettersView, deadLetterView } from './views/dead-letters';
import { duplicateClustersView, duplicatesIndexView, mergePreviewView } from './views/duplicates';
import { demoStatus, demoView } from './views/demo';
import { layout, signInPage, type PageContext } from './views/layout';
import { mappingView, parkedEventsView } from './views/mapping';
import { overviewView } from './views/overview';
import { recordHistoryView, recordSearchView } from './views/records';
import { runsView } from './views/runs';

type Request = FastifyRequest<{ Body: Record<string, unknown> | undefined }>;

const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

/** Failed sign-ins per instance per minute before further attempts are refused (429). */
const SIGN_IN_ATTEMPTS_PER_MINUTE = 10;

/**
 * GET /console: the operator console, server-rendered HTML (docs/architecture.md says why). Signed in
 * with ADMIN_TOKEN into a server-side session (HttpOnly, SameSite=Strict cookie); every POST carries
 * the session's CSRF token. Off (404) when no ADMIN_TOKEN is configured.
 */
@ApiExcludeController()
@Controller('console')
export class ConsoleController {
  private readonly sessions: ConsoleSessions;
  private failedSignIns: { minute: number; count: number } = { minute: 0, count: 0 };

  constructor(@Inject(CONSOLE_OPTIONS) private readonly options: ConsoleOptions) {
    this.sessions = new ConsoleSessions(options.db, options.sessionTtlMs ?? 8 * 3_600_000);
  }

  @Get('assets/console.css')
  css(@Res() reply: FastifyReply): FastifyReply {
    this.assertOn();
    return reply.header('content-type', 'text/css; charset=utf-8').header('cache-control', 'max-age=300').send(CONSOLE_CSS);
  }

  @Get('assets/console.js')
  js(@Res() reply: FastifyReply): FastifyReply {
    this.assertOn();
    return reply.header('content-type', 'text/javascript; charset=utf-8').header('cache-control', 'max-age=300').send(CONSOLE_JS);
  }

  @Get('sign-in')
  signInForm(@Res() reply: FastifyReply, @Query('failed') failed?: string): FastifyReply {
    this.assertOn();
    const csrf = randomToken();
    reply.header('set-cookie', sessionCookie(SIGN_IN_COOKIE, csrf, { maxAgeSeconds: 600, secure: this.options.secureCookie }));
    return this.page(reply, signInPage(csrf, failed ? 'That token is not right. Use the ADMIN_TOKEN the service was started with.' : null));
  }

  @Post('sign-in')
  async signIn(@Req() req: Request, @Res() reply: FastifyReply): Promise<FastifyReply> {
    const token = this.assertOn();
    const body = req.body ?? {};
    if (!secretsMatch(field(body, '_csrf'), readCookie(req.headers.cookie, SIGN_IN_COOKIE) ?? '')) return this.refuse(reply, 'The sign-in form expired; open it again.');
    const minute = Math.floor(Date.now() / 60_000);
    if (this.failedSignIns.minute !== minute) this.failedSignIns = { minute, count: 0 };
    if (this.failedSignIns.count >= SIGN_IN_ATTEMPTS_PER_MINUTE) return reply.status(429).header('retry-after', '60').send('Too many failed sign-ins; wait a minute.');
    if (!secretsMatch(field(body, 'token'), token)) {
      this.failedSignIns.count++;
      this.options.logger.warn({ ip: req.ip }, 'console sign-in refused: wrong token');
      return reply.redirect('/console/sign-in?failed=1', 303);
    }
    const { id } = await this.sessions.create();
    const ttlSeconds = Math.floor((this.options.sessionTtlMs ?? 8 * 3_600_000) / 1000);
    reply.header('set-cookie', [
      sessionCookie(SESSION_COOKIE, id, { maxAgeSeconds: ttlSeconds, secure: this.options.secureCookie }),
      sessionCookie(SIGN_IN_COOKIE, '', { maxAgeSeconds: 0, secure: this.options.secureCookie }),
    ]);
    this.options.logger.info({ ip: req.ip }, 'console sign-in');
    return reply.redirect('/console', 303);
  }

  @Post('sign-out')
  async signOut(@Req() req: Request, @Res() reply: FastifyReply): Promise<FastifyReply> {
    if (!(await this.authorize(req, reply))) return reply;
    await this.sessions.destroy(readCookie(req.headers.cookie, SESSION_COOKIE));
    reply.header('set-cookie', sessionCookie(SESSION_COOKIE, '', { maxAgeSeconds: 0, secure: this.options.secureCookie }));
    return reply.redirect('/console/sign-in', 303);
  }

  @Get()
  async overview(@Req() req: Request, @Res() reply: FastifyReply, @Query('notice') notice?: string): Promise<FastifyReply> {
    const page = await this.pageContext(req, reply, notice);
    if (!page) return reply;
    const { db, health, bindings } = this.options;
    const sync = bindings.sync;
    const [report, lag, outbox, parked, sfSamples, mdSamples] = await Promise.all([
      health.report(),
      pipelineLag(db),
      outboxStatus(db),
      countParkedEvents(db),
      usageSamples(db, 'salesforce'),
      usageSamples(db, 'monday'),
    ]);
    const body = overviewView({
      health: report,
      lag,
      outbox,
      parkedEvents: [...parked.values()].reduce((a, b) => a + b, 0),
      incidents: sync?.openIncidents() ?? [],
      salesforce: sync ? { ...sync.salesforceUsage(), samples: sfSamples } : null,
      monday: sync ? { usage: sync.mondayUsage(), samples: mdSamples } : null,
    });
    return this.page(reply, layout('Overview', page, body, '/console'));
  }

  @Get('dead-letters')
  async deadLetters(@Req() req: Request, @Res() reply: FastifyReply, @Query('object') objectKey?: string, @Query('code') code?: string, @Query('notice') notice?: string): Promise<FastifyReply> {
    const page = await this.pageContext(req, reply, notice);
    if (!page) return reply;
    const all = await listDeadLetters(this.options.db, recordKeysByIds, { limit: 1000 });
    const filter = { objectKey: objectKey || undefined, code: code || undefined };
    const letters = await findDeadLetters(this.options.db, filter);
    const choices = { objects: unique(all.map((d) => d.record.objectKey ?? '?')), codes: unique(all.map(errorCodeOf)) };
    return this.page(reply, layout('Dead letters', page, deadLettersView(page, letters, filter, choices), '/console/dead-letters'));
  }

  @Get('dead-letters/:id')
  async deadLetter(@Req() req: Request, @Res() reply: FastifyReply, @Param('id') id: string, @Query('notice') notice?: string): Promise<FastifyReply> {
    const page = await this.pageContext(req, reply, notice);
    if (!page) return reply;
    const letter = /^\d{1,15}$/.test(id) ? (await listDeadLetters(this.options.db, recordKeysByIds, { afterId: Number(id) - 1, limit: 1 })).find((d) => d.id === Number(id)) : undefined;
    if (!letter) return this.page(reply.status(404), layout(`Dead letter ${id}`, page, notFound('No such dead letter: it was retried, discarded, or never existed.'), '/console/dead-letters'));
    return this.page(reply, layout(`Dead letter ${id}`, page, deadLetterView(page, letter), '/console/dead-letters'));
  }

  @Post('dead-letters/retry-matching')
  async retryMatching(@Req() req: Request, @Res() reply: FastifyReply): Promise<FastifyReply> {
    if (!(await this.authorize(req, reply))) return reply;
    const body = req.body ?? {};
    const letters = await findDeadLetters(this.options.db, { objectKey: field(body, 'object') || undefined, code: field(body, 'code') || undefined });
    let retried = 0;
    for (const letter of letters) if (await retryDeadLetter(this.options.db, letter.id)) retried++;
    return this.back(reply, '/console/dead-letters', `${retried} dead letter(s) sent again.`);
  }

  @Post('dead-letters/:id/retry')
  async retry(@Req() req: Request, @Res() reply: FastifyReply, @Param('id') id: string): Promise<FastifyReply> {
    if (!(await this.authorize(req, reply))) return reply;
    const valid = /^\d{1,15}$/.test(id);
    if (valid && (await retryDeadLetter(this.options.db, Number(id)))) return this.back(reply, '/console/dead-letters', `Dead letter ${id} sent again: it is pending in the outbox.`);
    if (valid && (await isRejectedValue(this.options.db, Number(id)))) {
      return this.back(reply, '/console/dead-letters', `Dead letter ${id} is a value the other CRM cannot take: correct it at its source or in the mapping; the record's next change syncs it. Discard it once fixed.`);
    }
    return this.back(reply, '/console/dead-letters', `Dead letter ${id} is no longer dead (already retried or discarded).`);
  }

  @Post('dead-letters/:id/discard')
  async discard(@Req() req: Request, @Res() reply: FastifyReply, @Param('id') id: string): Promise<FastifyReply> {
    if (!(await this.authorize(req, reply))) return reply;
    const ok = /^\d{1,15}$/.test(id) && (await discardDeadLetter(this.options.db, Number(id)));
    return this.back(reply, '/console/dead-letters', ok ? `Dead letter ${id} discarded; it stays in the record's history.` : `Dead letter ${id} is no longer dead.`);
  }

  @Get('parked-events')
  async parkedEvents(@Req() req: Request, @Res() reply: FastifyReply, @Query('notice') notice?: string): Promise<FastifyReply> {
    const page = await this.pageContext(req, reply, notice);
    if (!page) return reply;
    return this.page(reply, layout('Parked events', page, parkedEventsView(page, await listParkedEvents(this.options.db, { limit: 500 })), '/console/parked-events'));
  }

  @Post('parked-events/:subscriber/:position/retry')
  async retryParked(@Req() req: Request, @Res() reply: FastifyReply, @Param('subscriber') subscriber: string, @Param('position') position: string): Promise<FastifyReply> {
    if (!(await this.authorize(req, reply))) return reply;
    const ok = /^\d{1,15}$/.test(position) && (await requestParkedRetry(this.options.db, subscriber, Number(position))) !== null;
    return this.back(reply, '/console/parked-events', ok ? `Retry of event ${position} requested; the ${subscriber} projector runs it shortly.` : `Event ${position} is not parked any more.`);
  }

  @Get('duplicates')
  async duplicates(@Req() req: Request, @Res() reply: FastifyReply): Promise<FastifyReply> {
    const page = await this.pageContext(req, reply);
    if (!page) return reply;
    const dataQuality = this.options.bindings.sync?.dataQuality;
    return this.page(reply, layout('Duplicates', page, duplicatesIndexView(dataQuality?.finder.objectKeys ?? [], dataQuality !== undefined), '/console/duplicates'));
  }

  @Get('duplicates/:object')
  async duplicateClusters(@Req() req: Request, @Res() reply: FastifyReply, @Param('object') objectKey: string, @Query('notice') notice?: string): Promise<FastifyReply> {
    const page = await this.pageContext(req, reply, notice);
    if (!page) return reply;
    const dataQuality = this.options.bindings.sync?.dataQuality;
    if (!dataQuality) return this.page(reply.status(404), layout('Duplicates', page, duplicatesIndexView([], false), '/console/duplicates'));
    try {
      const clusters = clustersDocument(await dataQuality.finder.find(objectKey)).clusters;
      return this.page(reply, layout(`Duplicates: ${objectKey}`, page, duplicateClustersView(objectKey, clusters), '/console/duplicates'));
    } catch (error) {
      if (!(error instanceof DuplicatesError)) throw error;
      return this.page(reply.status(error.code === 'UNKNOWN_OBJECT' ? 404 : 409), layout('Duplicates', page, notFound(error.message), '/console/duplicates'));
    }
  }

  @Get('duplicates/:object/:cluster')
  async mergePreview(@Req() req: Request, @Res() reply: FastifyReply, @Param('object') objectKey: string, @Param('cluster') clusterId: string, @Query('master') master?: string): Promise<FastifyReply> {
    const page = await this.pageContext(req, reply);
    if (!page) return reply;
    const dataQuality = this.options.bindings.sync?.dataQuality;
    if (!dataQuality) return this.page(reply.status(404), layout('Duplicates', page, duplicatesIndexView([], false), '/console/duplicates'));
    try {
      const plan = await dataQuality.merges.plan({ clusterId, objectKey, master: masterOf(master) });
      return this.page(reply, layout(`Merge ${clusterId}`, page, mergePreviewView(page, plan), '/console/duplicates'));
    } catch (error) {
      if (!(error instanceof DuplicatesError)) throw error;
      return this.page(reply.status(error.code === 'UNKNOWN_CLUSTER' || error.code === 'UNKNOWN_OBJECT' ? 404 : 409), layout('Duplicates', page, notFound(error.message), '/console/duplicates'));
    }
  }

  @Post('duplicates/:object/:cluster/merge')
  async merge(@Req() req: Request, @Res() reply: FastifyReply, @Param('object') objectKey: string, @Param('cluster') clusterId: string): Promise<FastifyReply> {
    if (!(await this.authorize(req, reply))) return reply;
    const dataQuality = this.options.bindings.sync?.dataQuality;
    const back = `/console/duplicates/${encodeURIComponent(objectKey)}`;
    if (!dataQuality) return this.back(reply, '/console/duplicates', 'The sync is not running here.');
    try {
      const { plan, request } = await dataQuality.merges.request({ clusterId, objectKey, master: masterOf(field(req.body ?? {}, 'master')) }, 'console');
      this.options.logger.info({ clusterId, objectKey, position: request.position }, 'console: duplicate merge requested');
      const progress = await dataQuality.merges.awaitFinished(request.position, 10_000);
      const into = `${plan.plan.master.crm}:${plan.plan.master.id}`;
      const done = progress.commands.filter((c) => c.status === 'done').length;
      const text = progress.succeeded
        ? `Merged ${clusterId} into ${into} (${done} command(s) done).`
        : progress.finished
          ? `The merge of ${clusterId} did not finish cleanly: ${progress.commands.filter((c) => c.status === 'dead').length} dead letter(s)${progress.decided?.outcome === 'projected' ? '' : ` (${progress.decided?.reason})`}.`
          : `Merge of ${clusterId} into ${into} requested (event ${request.position}); ${done} of ${progress.commands.length} command(s) done so far, the sync carries on.`;
      return this.back(reply, back, text);
    } catch (error) {
      if (!(error instanceof DuplicatesError)) throw error;
      return this.back(reply, back, error.message);
    }
  }

  @Get('records')
  async records(@Req() req: Request, @Res() reply: FastifyReply, @Query('q') query?: string): Promise<FastifyReply> {
    const page = await this.pageContext(req, reply);
    if (!page) return reply;
    const q = (query ?? '').trim();
    const result = q ? await searchRecords(this.options.db, q) : null;
    if (result && result.matches.length === 1) return reply.redirect(`/console/records/${result.matches[0].crm}/${encodeURIComponent(result.matches[0].id)}`, 303);
    return this.page(reply, layout('Record history', page, recordSearchView(q, result), '/console/records'));
  }

  @Get('records/:crm/:id')
  async record(@Req() req: Request, @Res() reply: FastifyReply, @Param('crm') crm: string, @Param('id') id: string): Promise<FastifyReply> {
    const page = await this.pageContext(req, reply);
    if (!page) return reply;
    const valid = (crm === 'monday' && /^\d{1,20}$/.test(id)) || (crm === 'salesforce' && isSalesforceId(id));
    const history = valid ? await recordHistory(this.options.db, crm, id) : null;
    if (!history) return this.page(reply.status(404), layout('Record history', page, notFound(`Nothing is known about ${crm} record ${id}.`), '/console/records'));
    const fields = history.record ? await recordFields(this.options.db, history.record.id) : {};
    const object = history.record ? this.options.bindings.sync?.mapping.byKey.get(history.record.objectKey) : undefined;
    const names = new Map((object?.fields ?? []).map((f) => [f.key, `${salesforceFieldsOf(f.mapping).join(' + ')} ⇄ ${f.column.title}`] as const));
    const title = `History of ${crm} record ${id}`;
    return this.page(reply, layout(title, page, recordHistoryView(history, fields, names), '/console/records'));
  }

  @Get('runs')
  async runs(@Req() req: Request, @Res() reply: FastifyReply, @Query('notice') notice?: string): Promise<FastifyReply> {
    const page = await this.pageContext(req, reply, notice);
    if (!page) return reply;
    const sync = this.options.bindings.sync;
    const objects = sync ? sync.mapping.objects.map((o) => o.mapping.key) : [];
    const body = runsView(page, await listProgress(this.options.db), objects, await listReconcileRuns(this.options.db), sync !== null);
    return this.page(reply, layout('Backfill & reconcile', page, body, '/console/runs'));
  }

  @Post('runs/reconcile')
  async reconcile(@Req() req: Request, @Res() reply: FastifyReply): Promise<FastifyReply> {
    if (!(await this.authorize(req, reply))) return reply;
    const sync = this.options.bindings.sync;
    const objectKey = field(req.body ?? {}, 'object');
    if (!sync || !sync.mapping.byKey.has(objectKey)) return this.back(reply, '/console/runs', `No object "${objectKey}" in the running mapping.`);
    this.options.logger.info({ objectKey }, 'console: reconcile --fix started');
    const started = await sync.reconcileRuns.start(objectKey, () => sync.reconcile(objectKey, true));
    return this.back(reply, '/console/runs', started !== null ? `Reconcile of ${objectKey} started.` : `A reconcile of ${objectKey} is still running (here or on another instance).`);
  }

  @Get('mapping')
  async mapping(@Req() req: Request, @Res() reply: FastifyReply): Promise<FastifyReply> {
    const page = await this.pageContext(req, reply);
    if (!page) return reply;
    return this.page(reply, layout('Mapping', page, mappingView(this.options.bindings.sync?.mapping ?? null), '/console/mapping'));
  }

  @Get('demo')
  async demo(@Req() req: Request, @Res() reply: FastifyReply, @Query('sf') salesforceId?: string, @Query('moved') moved?: string, @Query('notice') notice?: string): Promise<FastifyReply> {
    const page = await this.pageContext(req, reply, notice);
    if (!page) return reply;
    const demo = this.demoOrNull();
    if (!demo) return this.page(reply.status(404), layout('Try it', page, notFound('The demo panel exists in sandbox mode only.'), '/console/demo'));
    let state = null;
    try {
      state = salesforceId ? await demo.state(salesforceId, moved === '1') : null;
    } catch (error) {
      if (!(error instanceof DemoError)) throw error;
      page.notice = error.message;
    }
    const body = demoView(page, state);
    return this.page(reply, layout('Try it: a change in each CRM', page, state && req.headers['x-fragment'] === 'status' ? demoStatus(page, state) : body, '/console/demo'));
  }

  @Post('demo/salesforce')
  async demoCreate(@Req() req: Request, @Res() reply: FastifyReply): Promise<FastifyReply> {
    if (!(await this.authorize(req, reply))) return reply;
    const demo = this.demoOrNull();
    if (!demo) return reply.status(404).send();
    const name = field(req.body ?? {}, 'name').trim().slice(0, 120) || 'Demo grant';
    try {
      const id = await demo.createInSalesforce(name);
      return reply.redirect(`/console/demo?sf=${encodeURIComponent(id)}&notice=${encodeURIComponent(`Created “${name}” in Salesforce as a person would.`)}`, 303);
    } catch (error) {
      if (error instanceof DemoError) return this.back(reply, '/console/demo', error.message);
      throw error;
    }
  }

  @Post('demo/monday')
  async demoMove(@Req() req: Request, @Res() reply: FastifyReply): Promise<FastifyReply> {
    if (!(await this.authorize(req, reply))) return reply;
    const demo = this.demoOrNull();
    if (!demo) return reply.status(404).send();
    const body = req.body ?? {};
    try {
      await demo.moveOnMonday(field(body, 'itemId'));
      return reply.redirect(`/console/demo?sf=${encodeURIComponent(field(body, 'salesforceId'))}&moved=1&notice=${encodeURIComponent('Moved on monday as a person would.')}`, 303);
    } catch (error) {
      if (error instanceof DemoError) return this.back(reply, '/console/demo', error.message);
      throw error;
    }
  }

  private demoOrNull(): SandboxDemo | null {
    const { sandbox, sync } = this.options.bindings;
    return sandbox ? new SandboxDemo(sandbox, sync, this.options.db) : null;
  }

  /** 404 when the console is off (no ADMIN_TOKEN): as if it did not exist; else the token. */
  private assertOn(): string {
    const token = this.options.adminToken;
    if (!token) throw new NotFoundException();
    return token;
  }

  private async currentSession(req: Request): Promise<ConsoleSession | null> {
    this.assertOn();
    return this.sessions.find(readCookie(req.headers.cookie, SESSION_COOKIE));
  }

  /** For pages: the signed-in page context, or a redirect to the sign-in form (then null). */
  private async pageContext(req: Request, reply: FastifyReply, notice?: string): Promise<PageContext | null> {
    const session = await this.currentSession(req);
    if (!session) {
      reply.redirect('/console/sign-in', 303);
      return null;
    }
    return { csrfToken: session.csrfToken, sandbox: this.options.bindings.sandbox !== null, notice: notice ? notice.slice(0, 300) : null };
  }

  /** For state-changing requests: a session and its CSRF token (form field or X-CSRF-Token), else 403. */
  private async authorize(req: Request, reply: FastifyReply): Promise<boolean> {
    const session = await this.currentSession(req);
    const header = req.headers['x-csrf-token'];
    const presented = field(req.body ?? {}, '_csrf') || (typeof header === 'string' ? header : '');
    if (session && secretsMatch(presented, session.csrfToken)) return true;
    this.refuse(reply, session ? 'This form is missing its security token (CSRF); reload the page and try again.' : 'Sign in first.');
    return false;
  }

  private refuse(reply: FastifyReply, message: string): FastifyReply {
    return reply.status(403).headers(SECURITY_HEADERS).type('text/plain; charset=utf-8').send(`403 Forbidden: ${message}`);
  }

  private back(reply: FastifyReply, path: string, notice: string): FastifyReply {
    return reply.redirect(`${path}?notice=${encodeURIComponent(notice)}`, 303);
  }

  private page(reply: FastifyReply, body: SafeHtml): FastifyReply {
    return reply.headers(SECURITY_HEADERS).type('text/html; charset=utf-8').send(body.value);
  }
}

function field(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  return typeof value === 'string' ? value : '';
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

function masterOf(ref: string | undefined): { crm: 'salesforce' | 'monday'; id: string } | undefined {
  return ref ? (parseMemberRef(ref) ?? undefined) : undefined;
}

function notFound(message: string): SafeHtml {
  return html`<p class="notice bad">${message}</p>`;
}

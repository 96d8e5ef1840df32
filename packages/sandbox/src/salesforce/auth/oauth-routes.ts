import { createHmac } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import jwt from 'jsonwebtoken';
import { EmulatorContext } from '../context';
import { sendJson } from '../http/json-reply';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** Salesforce tolerates about three minutes of clock skew on JWT assertions (reference 1.1). */
const JWT_SKEW_SECONDS = 180;

type Form = Record<string, string | undefined>;
type Grant = { userId: string; clientId: string; refreshToken?: string; minimal?: boolean } | { error: string; description: string };

/**
 * `POST /services/oauth2/token` with the password, client_credentials, refresh_token, JWT bearer and
 * authorization_code grants (reference 1), plus authorize (auto-approved), revoke and the identity URL.
 */
export function registerOAuthRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  app.post('/services/oauth2/token', async (request, reply) => {
    const form = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as Form;
    const grant = resolveGrant(ctx, form);
    if ('error' in grant) return sendJson(reply, 400, { error: grant.error, error_description: grant.description });
    return sendToken(ctx, reply, grant);
  });

  app.get('/services/oauth2/authorize', async (request, reply) => {
    const q = request.query as Form;
    if (q.client_id !== ctx.credentials.clientId) {
      return sendJson(reply, 400, { error: 'invalid_client_id', error_description: 'client identifier invalid' });
    }
    const redirectUri = q.redirect_uri ?? `${ctx.baseUrl()}/services/oauth2/success`;
    const user = q.login_hint ? findUser(ctx, q.login_hint) : ctx.users.integrationUserId;
    if (!user) return sendJson(reply, 400, { error: 'invalid_request', error_description: 'unknown login_hint' });
    const code = ctx.sessions.issueAuthCode(user, ctx.credentials.clientId, redirectUri);
    const target = new URL(redirectUri);
    target.searchParams.set('code', code);
    if (q.state) target.searchParams.set('state', q.state);
    return reply.redirect(target.toString(), 302);
  });

  app.post('/services/oauth2/revoke', async (request, reply) => {
    const form = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as Form;
    const query = request.query as Form;
    const token = form.token ?? query.token;
    if (token) ctx.sessions.revoke(token);
    return reply.code(200).send();
  });

  app.get('/id/:orgId/:userId', async (request, reply) => {
    const { userId } = request.params as { userId: string };
    const user = ctx.org.store.get(userId)?.record;
    if (!user) return sendJson(reply, 404, [{ errorCode: 'NOT_FOUND', message: 'Bad_Id' }]);
    const base = ctx.baseUrl();
    return sendJson(reply, 200, {
      id: `${base}/id/${ctx.orgId}/${userId}`,
      user_id: userId,
      organization_id: ctx.orgId,
      username: user.Username,
      display_name: user.Name,
      email: user.Email,
      active: user.IsActive,
      user_type: 'STANDARD',
      urls: { rest: `${base}/services/data/v{version}/`, sobjects: `${base}/services/data/v{version}/sobjects/` },
    });
  });
}

function resolveGrant(ctx: EmulatorContext, form: Form): Grant {
  const creds = ctx.credentials;
  const checkClient = (requireSecret: boolean): Grant | null => {
    if (form.client_id !== creds.clientId) return { error: 'invalid_client_id', description: 'client identifier invalid' };
    if (requireSecret && form.client_secret !== creds.clientSecret) {
      return { error: 'invalid_client', description: 'invalid client credentials' };
    }
    return null;
  };
  switch (form.grant_type) {
    case 'password': {
      const bad = checkClient(true);
      if (bad) return bad;
      const userId = form.username ? findUser(ctx, form.username) : undefined;
      if (!userId || form.password !== creds.password) {
        return { error: 'invalid_grant', description: 'authentication failure' };
      }
      return { userId, clientId: creds.clientId };
    }
    case 'client_credentials': {
      const bad = checkClient(true);
      if (bad) return bad;
      return { userId: ctx.users.integrationUserId, clientId: creds.clientId };
    }
    case 'refresh_token': {
      const bad = checkClient(false);
      if (bad) return bad;
      if (form.client_secret !== undefined && form.client_secret !== creds.clientSecret) {
        return { error: 'invalid_client', description: 'invalid client credentials' };
      }
      const entry = form.refresh_token ? ctx.sessions.redeemRefreshToken(form.refresh_token) : undefined;
      if (!entry) return { error: 'invalid_grant', description: 'expired access/refresh token' };
      return { userId: entry.userId, clientId: entry.clientId };
    }
    case 'authorization_code': {
      const bad = checkClient(true);
      if (bad) return bad;
      const entry = form.code ? ctx.sessions.redeemAuthCode(form.code) : undefined;
      if (!entry) return { error: 'invalid_grant', description: 'invalid authorization code' };
      if (form.redirect_uri !== undefined && form.redirect_uri !== entry.redirectUri) {
        return { error: 'redirect_uri_mismatch', description: 'redirect_uri must match configuration' };
      }
      return {
        userId: entry.userId,
        clientId: entry.clientId,
        refreshToken: ctx.sessions.issueRefreshToken(entry.userId, entry.clientId),
      };
    }
    case JWT_BEARER:
      return jwtGrant(ctx, form.assertion);
    case undefined:
      return { error: 'invalid_request', description: 'grant type is missing' };
    default:
      return { error: 'unsupported_grant_type', description: 'grant type not supported' };
  }
}

function jwtGrant(ctx: EmulatorContext, assertion: string | undefined): Grant {
  if (!assertion) return { error: 'invalid_request', description: 'assertion is missing' };
  let claims: jwt.JwtPayload;
  try {
    const verified = jwt.verify(assertion, ctx.credentials.certificatePem, {
      algorithms: ['RS256'],
      clockTimestamp: Math.floor(ctx.clock.now() / 1000),
      clockTolerance: JWT_SKEW_SECONDS,
    });
    if (typeof verified === 'string') return { error: 'invalid_grant', description: 'invalid assertion' };
    claims = verified;
  } catch (err) {
    const expired = err instanceof jwt.TokenExpiredError;
    return { error: 'invalid_grant', description: expired ? 'expired authorization code' : 'invalid assertion' };
  }
  if (claims.iss !== ctx.credentials.clientId) return { error: 'invalid_client_id', description: 'client identifier invalid' };
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  const base = ctx.baseUrl();
  if (!audiences.some((a) => a === base || a === `${base}/`)) return { error: 'invalid_grant', description: 'audience is invalid' };
  const subject = typeof claims.prn === 'string' ? claims.prn : claims.sub;
  const userId = subject ? findUser(ctx, subject) : undefined;
  if (!userId) return { error: 'invalid_grant', description: "user hasn't approved this consumer" };
  return { userId, clientId: ctx.credentials.clientId, minimal: true };
}

/** The active user with this username (User.Username is unique, so this is an index lookup). */
export function findUser(ctx: EmulatorContext, username: string): string | undefined {
  const schema = ctx.org.registry.get('User');
  if (!schema) return undefined;
  const id = ctx.org.store.findByUnique(schema, 'Username', username);
  const user = id ? ctx.org.store.get(id)?.record : undefined;
  return user && user.IsActive !== false ? id : undefined;
}

function sendToken(ctx: EmulatorContext, reply: FastifyReply, grant: Exclude<Grant, { error: string }>): FastifyReply {
  const { accessToken, session } = ctx.sessions.issue(grant.userId, grant.clientId);
  const base = ctx.baseUrl();
  const id = `${base}/id/${ctx.orgId}/${grant.userId}`;
  const issuedAt = String(session.issuedAt);
  const body: Record<string, string> = {
    access_token: accessToken,
    ...(grant.refreshToken ? { refresh_token: grant.refreshToken } : {}),
    signature: createHmac('sha256', ctx.credentials.clientSecret).update(id + issuedAt).digest('base64'),
    scope: grant.refreshToken ? 'refresh_token api' : 'api',
    instance_url: base,
    id,
    token_type: 'Bearer',
    issued_at: issuedAt,
  };
  if (grant.minimal) {
    delete body.signature;
    delete body.issued_at;
  }
  return sendJson(reply, 200, body);
}

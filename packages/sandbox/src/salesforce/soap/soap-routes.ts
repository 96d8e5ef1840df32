import type { FastifyInstance, FastifyReply } from 'fastify';
import { findUser } from '../auth/oauth-routes';
import { EmulatorContext } from '../context';
import { apiChangeOrigin } from '../http/request-info';
import { convertLead, LeadConvertRequest } from './lead-conversion';
import { mergeRequestOf, mergeResultXml, MAX_MERGE_REQUESTS } from './soap-merge';
import { mergeRecords } from '../merge/record-merge';
import { soapFault, soapResponse, XML_TYPE, xmlElement } from './soap-envelope';
import { child, childText, parseXml, XmlElement } from './xml-reader';

/**
 * The partner SOAP endpoint `/services/Soap/u/<version>` (reference 1.4, 7.1): `login` (jsforce's
 * `login()` without oauth2 credentials), `convertLead` (jsforce `conn.soap.convertLead`) and `merge`.
 */
export function registerSoapRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  const handler = async (request: { params: unknown; body: unknown }, reply: FastifyReply) => {
    const { version } = request.params as { version: string };
    let envelope: XmlElement;
    try {
      envelope = parseXml(String(request.body ?? ''));
    } catch {
      return fault(reply, 'INVALID_XML', 'The request is not well-formed XML');
    }
    const root = child(envelope, 'Envelope');
    const header = child(root, 'Header');
    const operation = child(root, 'Body')?.children[0];
    if (!operation) return fault(reply, 'INVALID_OPERATION', 'No operation in the SOAP body');
    if (operation.name === 'login') return login(ctx, reply, operation, version);

    const session = ctx.sessions.validate(childText(child(header, 'SessionHeader'), 'sessionId') ?? '');
    if (!session) return fault(reply, 'INVALID_SESSION_ID', 'Invalid Session ID found in SessionHeader: Illegal Session');
    if (!ctx.usage.tryConsume()) return fault(reply, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
    const client = childText(child(header, 'CallOptions'), 'client') ?? null;
    const context = { userId: session.userId, changeOrigin: apiChangeOrigin('soap', version, client), client };

    switch (operation.name) {
      case 'convertLead': {
        const requests = operation.children.filter((c) => c.name === 'leadConverts').map(leadConvertOf);
        const results = ctx.org.transact(context, (tx) => requests.map((r) => convertLead(ctx, tx, r)));
        const xml = results
          .map((r) =>
            r.success
              ? xmlElement('result', {
                  accountId: r.accountId,
                  contactId: r.contactId,
                  leadId: r.leadId,
                  opportunityId: r.opportunityId,
                  success: true,
                })
              : xmlElement('result', {
                  errors: r.errors.map((e) => ({ fields: e.fields, message: e.message, statusCode: e.errorCode })),
                  leadId: r.leadId,
                  success: false,
                }),
          )
          .join('');
        return ok(reply, `<convertLeadResponse>${xml}</convertLeadResponse>`);
      }
      case 'merge': {
        // jsforce wraps each request in <mergeRequests>, the WSDL names it <request>: accept both.
        const elements = operation.children.filter((c) => c.name === 'request' || c.name === 'mergeRequests');
        if (elements.length > MAX_MERGE_REQUESTS) {
          return fault(reply, 'LIMIT_EXCEEDED', `merge takes at most ${MAX_MERGE_REQUESTS} requests per call`);
        }
        // Each request is its own transaction (addendum 6.1).
        const results = elements.map((e) => {
          const request = mergeRequestOf(ctx.org, e);
          return ctx.org.transact(context, (tx) => mergeRecords(ctx.org, tx, request));
        });
        return ok(reply, `<mergeResponse>${results.map(mergeResultXml).join('')}</mergeResponse>`);
      }
      case 'getServerTimestamp':
        return ok(reply, `<getServerTimestampResponse>${xmlElement('result', { timestamp: new Date(ctx.clock.now()).toISOString() })}</getServerTimestampResponse>`);
      default:
        return fault(reply, 'INVALID_OPERATION', `No operation available for request {urn:partner.soap.sforce.com}${operation.name}`);
    }
  };
  app.post('/services/Soap/u/:version', handler);
  app.post('/services/Soap/u/:version/:orgId', handler);
}

function login(ctx: EmulatorContext, reply: FastifyReply, operation: XmlElement, version: string): FastifyReply {
  const username = childText(operation, 'username') ?? '';
  const password = childText(operation, 'password') ?? '';
  const userId = findUser(ctx, username);
  if (!userId || password !== ctx.credentials.password) {
    return fault(reply, 'INVALID_LOGIN', 'Invalid username, password, security token; or user locked out.');
  }
  const { accessToken } = ctx.sessions.issue(userId, 'soap');
  const user = ctx.org.store.get(userId)?.record;
  const base = ctx.baseUrl();
  const result = xmlElement('result', {
    metadataServerUrl: `${base}/services/Soap/m/${version}/${ctx.orgId}`,
    passwordExpired: false,
    sandbox: true,
    serverUrl: `${base}/services/Soap/u/${version}/${ctx.orgId}`,
    sessionId: accessToken,
    userId,
    userInfo: {
      organizationId: ctx.orgId,
      organizationName: 'crm-sync Sandbox Org',
      userEmail: user?.Email ?? '',
      userFullName: user?.Name ?? '',
      userId,
      userName: user?.Username ?? username,
    },
  });
  return ok(reply, `<loginResponse>${result}</loginResponse>`);
}

function leadConvertOf(e: XmlElement): LeadConvertRequest {
  const bool = (name: string) => childText(e, name) === 'true';
  return {
    leadId: childText(e, 'leadId') ?? '',
    convertedStatus: childText(e, 'convertedStatus') ?? '',
    accountId: childText(e, 'accountId'),
    contactId: childText(e, 'contactId'),
    opportunityName: childText(e, 'opportunityName'),
    doNotCreateOpportunity: bool('doNotCreateOpportunity'),
    ownerId: childText(e, 'ownerId'),
    overwriteLeadSource: bool('overwriteLeadSource'),
  };
}

function ok(reply: FastifyReply, body: string): FastifyReply {
  return reply.code(200).header('content-type', XML_TYPE).send(soapResponse(body));
}

function fault(reply: FastifyReply, code: string, message: string): FastifyReply {
  return reply.code(500).header('content-type', XML_TYPE).send(soapFault(code, message));
}

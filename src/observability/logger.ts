import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger } from 'pino';

export interface LoggerOptions {
  level: 'debug' | 'info' | 'warn' | 'error';
  /** Secret values (tokens, passwords, keys): scrubbed from every line, wherever they appear. */
  secretValues: readonly string[];
  /** Default: stdout, as JSON lines when it is not a terminal and as readable lines (pino-pretty) when it is. */
  destination?: pino.DestinationStream;
}

const REDACTED = '[redacted]';

/**
 * Structured JSON logs (style lesson 13). Two guards keep secrets out: known secret-bearing keys are
 * redacted by path, and every finished line is scrubbed of the configured secret values, so a token
 * that leaks into an error message is still never written.
 */
export function createLogger(options: LoggerOptions): Logger {
  const secrets = options.secretValues.filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
  const escaped = secrets.map((s) => [s, JSON.stringify(s).slice(1, -1)]).flat();
  const pattern = escaped.length > 0 ? new RegExp(escaped.map(escapeRegExp).join('|'), 'g') : null;
  return pino(
    {
      level: options.level,
      base: { service: 'crm-sync' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'headers.authorization',
          'res.headers["set-cookie"]',
          '*.accessToken',
          '*.refreshToken',
          '*.password',
          '*.clientSecret',
          '*.token',
          '*.apiToken',
          '*.signingSecret',
          '*.privateKey',
        ],
        censor: REDACTED,
      },
      serializers: {
        req: (req: { id?: string; method?: string; url?: string }) => ({ id: req.id, method: req.method, url: redactUrl(req.url) }),
      },
      ...(pattern ? { hooks: { streamWrite: (line: string) => line.replace(pattern, REDACTED) } } : {}),
    },
    options.destination ?? stdout(),
  );
}

function stdout(): pino.DestinationStream {
  if (!process.stdout.isTTY) return pino.destination({ dest: 1, sync: false });
  return pretty({ destination: 1, colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service' });
}

/** Request headers that carry a credential (monday's JWT, the console session, the CSRF token). */
const TOKEN_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'x-csrf-token']);

/** A request as request logging shows it: credentials in headers and `?token=` replaced. */
export function serializeRequest(req: { id?: unknown; method?: string; url?: string; headers?: Record<string, unknown> }): Record<string, unknown> {
  const headers = Object.fromEntries(Object.entries(req.headers ?? {}).map(([name, value]) => [name, TOKEN_HEADERS.has(name.toLowerCase()) ? REDACTED : value]));
  return { id: req.id, method: req.method, url: redactUrl(req.url), headers };
}

/** `?token=` carries a secret on webhook URLs. */
export function redactUrl(url: string | undefined): string | undefined {
  return url?.replace(/([?&]token=)[^&]*/g, `$1${REDACTED}`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

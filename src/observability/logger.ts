import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

export interface LoggerOptions {
  level: 'debug' | 'info' | 'warn' | 'error';
  /** Secret values (tokens, passwords, keys): scrubbed from every line, wherever they appear. */
  secretValues: readonly string[];
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
    options.destination ?? pino.destination({ dest: 1, sync: false }),
  );
}

/** `?token=` carries a secret on webhook URLs. */
export function redactUrl(url: string | undefined): string | undefined {
  return url?.replace(/([?&]token=)[^&]*/g, `$1${REDACTED}`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

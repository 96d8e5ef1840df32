import { randomBytes } from 'node:crypto';
import { loadConfig, ConfigError } from '../../src/config';

describe('PII_ENCRYPTION_KEY configuration', () => {
  const problemsOf = (env: Record<string, string>): string[] => {
    try {
      loadConfig(env);
    } catch (error) {
      if (error instanceof ConfigError) return error.problems;
      throw error;
    }
    return [];
  };

  it('accepts base64 of 32 bytes and keeps it among the secret values, so logs redact it', () => {
    const key = randomBytes(32).toString('base64');
    const config = loadConfig({ PII_ENCRYPTION_KEY: key });
    expect(config.personalData?.key.equals(Buffer.from(key, 'base64'))).toBe(true);
    expect(config.secretValues).toContain(key);
  });

  it('a key of the wrong length is a start-up error naming the variable and the length, never the value', () => {
    const short = randomBytes(16).toString('base64');
    const problems = problemsOf({ PII_ENCRYPTION_KEY: short });
    expect(problems).toEqual([expect.stringMatching(/^PII_ENCRYPTION_KEY must be base64 of 32 random bytes.*decodes to 16 bytes/)]);
    expect(problems.join()).not.toContain(short);
  });

  it('an unreadable key file is a start-up error naming PII_ENCRYPTION_KEY_FILE', () => {
    expect(problemsOf({ PII_ENCRYPTION_KEY_FILE: '/nonexistent/pii.key' })).toEqual(['PII_ENCRYPTION_KEY_FILE cannot be read (ENOENT)']);
  });

  it('unset: encryption is off', () => {
    expect(loadConfig({}).personalData).toBeNull();
  });
});

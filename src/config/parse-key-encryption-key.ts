export type KekProblem = { variable: string; message: string };

/** 32 bytes, base64 (standard or url-safe alphabet); anything else names the variable, never the value. */
export function parseKeyEncryptionKey(variable: string, text: string): Buffer | KekProblem {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) {
    return { variable, message: `${variable} must be base64 of 32 random bytes (e.g. \`openssl rand -base64 32\`); it contains characters that are not base64` };
  }
  const key = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (key.length !== 32) {
    return { variable, message: `${variable} must be base64 of 32 random bytes (e.g. \`openssl rand -base64 32\`); it decodes to ${key.length} bytes` };
  }
  return key;
}

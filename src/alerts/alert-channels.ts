/** Where alert text goes. Implementations never put a token into the text they send. */
export interface AlertChannel {
  readonly name: string;
  send(text: string): Promise<void>;
}

const TIMEOUT_MS = 10_000;

/** A Slack-compatible incoming webhook (ALERT_WEBHOOK_URL): `{ text, blocks }`. */
export class SlackWebhookChannel implements AlertChannel {
  readonly name = 'webhook';
  constructor(private readonly url: string) {}

  async send(text: string): Promise<void> {
    await post(this.url, { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] });
  }
}

/** Telegram Bot API sendMessage; `baseUrl` is injectable so tests point it at a loopback server. */
export class TelegramChannel implements AlertChannel {
  readonly name = 'telegram';
  constructor(private readonly options: { botToken: string; chatId: string; baseUrl?: string }) {}

  async send(text: string): Promise<void> {
    const base = (this.options.baseUrl ?? 'https://api.telegram.org').replace(/\/$/, '');
    await post(`${base}/bot${this.options.botToken}/sendMessage`, { chat_id: this.options.chatId, text, disable_web_page_preview: true });
  }
}

async function post(url: string, body: unknown): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  // Never echo the URL: the Telegram one carries the bot token.
  if (!response.ok) throw new Error(`alert channel answered HTTP ${response.status}`);
}

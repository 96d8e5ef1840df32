import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

/** Debian's chromium (`.ci/run` installs it); no browser is downloaded. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Screenshots land here (gitignored): test artefacts, never committed. */
export const ARTIFACTS_DIR = resolve(__dirname, '../../test-artifacts');

export interface TestBrowser {
  browser: Browser;
  page: Page;
  screenshot(name: string): Promise<void>;
  close(): Promise<void>;
}

/** Headless chromium with a fresh profile, offline except for what the test opens. */
export async function launchBrowser(folder: string): Promise<TestBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'crm-sync-chromium-'));
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${profile}`,
    ],
  });
  const page = await browser.newPage();
  page.setDefaultTimeout(30_000);
  const dir = join(ARTIFACTS_DIR, folder);
  mkdirSync(dir, { recursive: true });
  return {
    browser,
    page,
    screenshot: async (name) => {
      await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
    },
    close: async () => {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

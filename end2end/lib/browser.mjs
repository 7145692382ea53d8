// Launches the machine's Chromium (Playwright cannot download browsers here) and gives each
// test a fresh context.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BASE = process.env.EMALL_BASE_URL ?? 'http://127.0.0.1:3000';
export const PASSWORD = 'Demo@2026';

export async function launch({ javaScriptEnabled = true } = {}) {
  const userDataDir = mkdtempSync(join(tmpdir(), 'emall-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    javaScriptEnabled,
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    locale: 'zh-CN',
    viewport: { width: 1280, height: 900 },
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  // The profile is the test's own: it goes once the browser has closed.
  const close = context.close.bind(context);
  context.close = async (...args) => {
    await close(...args);
    try { rmSync(userDataDir, { recursive: true, force: true, maxRetries: 5 }); } catch { /* left to the OS */ }
  };
  return context;
}

/** Signs in through the HTML form, as a person would, and waits for the home page. */
export async function signIn(page, username, password = PASSWORD) {
  await page.goto(`${BASE}/login`);
  await ready(page);
  await page.getByLabel('用户名', { exact: true }).fill(username);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await Promise.all([page.waitForURL((url) => !url.pathname.endsWith('/login')), page.getByRole('button', { name: '登录' }).click()]);
}

/** Waits until the page's islands have hydrated (the wasm sets `data-hydrated` on <html>). */
export async function ready(page) {
  await page.waitForSelector('html[data-hydrated]', { state: 'attached', timeout: 30000 });
}

/** Goes to `url` and waits for its islands. */
export async function go(page, url) {
  await page.goto(url);
  await ready(page);
}

/** A fresh page of `context`, signed in as `username` (the context's cookies cleared first). */
export async function signedIn(context, username) {
  await context.clearCookies();
  const page = await context.newPage();
  await signIn(page, username);
  return page;
}

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, signIn, ready, BASE } from '../lib/browser.mjs';

let context;
before(async () => { context = await launch(); });
after(async () => { await context?.close(); });

test('a buyer buys the lowest offer in one click and checks out against a budget line', async () => {
  await context.clearCookies();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await signIn(page, 'demo-buyer');
  await page.goto(`${BASE}/search?q=${encodeURIComponent('复印纸')}&city=310100`);
  await Promise.all([page.waitForURL(/\/product\/\d+/), page.locator('li.hit h2 a').first().click()]);
  await ready(page);
  const lowest = await page.locator('#lowest-price').innerText();
  // A quantity the box cannot take is said, not silently changed.
  await page.getByLabel('数量', { exact: true }).fill('0');
  await page.getByRole('button', { name: '加入购物车', exact: true }).click();
  await page.locator('.buy-message', { hasText: '数量须为' }).waitFor();
  assert.equal(await page.getByLabel('数量', { exact: true }).inputValue(), '0');
  await page.getByLabel('数量', { exact: true }).fill('2');
  await Promise.all([page.waitForURL(/\/buyer\/cart/), page.getByRole('button', { name: '一键购买最低价' }).click()]);
  await ready(page);
  const row = page.locator('#cart tbody tr').first();
  assert.match(await row.innerText(), new RegExp(lowest.replace(/[¥.,]/g, (c) => `\\${c}`)));
  await page.locator('#place-order').click();
  const receipt = page.locator('#receipt');
  await receipt.waitFor({ timeout: 15000 });
  assert.match(await receipt.innerText(), /订单已提交/);
  const orderNo = (await receipt.locator('li').first().innerText()).split(' ')[0];
  assert.match(orderNo, /^EM\d{15}$/);
  await page.goto(`${BASE}/buyer`);
  assert.match(await page.locator('section[aria-labelledby="orders-heading"] table').innerText(), new RegExp(orderNo), 'the order is in my orders');
  assert.deepEqual(errors, []);
});

test('a visitor who tries to buy is asked to sign in first', async () => {
  await context.clearCookies();
  const page = await context.newPage();
  await page.goto(`${BASE}/search?q=${encodeURIComponent('硒鼓')}&city=310100`);
  await Promise.all([page.waitForURL(/\/product\/\d+/), page.locator('li.hit h2 a').first().click()]);
  await ready(page);
  await Promise.all([page.waitForURL(/\/login\?next=/), page.getByRole('button', { name: '加入购物车', exact: true }).click()]);
});

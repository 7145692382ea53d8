import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, BASE } from '../lib/browser.mjs';

let context;
before(async () => { context = await launch(); });
after(async () => { await context?.close(); });

test('the storefront is a zh-CN page with the catalogue of the city', async () => {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const response = await page.goto(`${BASE}/`);
  assert.equal(response.status(), 200);
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  assert.match(await page.title(), /政府采购电子卖场/);
  assert.ok(await page.getByRole('heading', { name: '商品分类' }).isVisible());
  const cards = page.locator('li.card');
  assert.ok((await cards.count()) >= 8, 'popular products are listed');
  assert.ok(await page.getByRole('link', { name: '登录' }).isVisible());
  assert.deepEqual(errors, [], 'no script errors');
});

test('the language switch leads to the English page and back', async () => {
  const page = await context.newPage();
  await page.goto(`${BASE}/`);
  await page.getByRole('link', { name: 'Switch to English' }).click();
  await page.waitForURL(`${BASE}/en`);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.ok(await page.getByRole('heading', { name: 'Categories' }).isVisible());
  await page.getByRole('link', { name: '切换到中文' }).click();
  await page.waitForURL(`${BASE}/`);
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
});

test('the city picker shows another city by URL', async () => {
  const page = await context.newPage();
  await page.goto(`${BASE}/`);
  await page.selectOption('#city', '330100');
  await page.getByRole('button', { name: '切换' }).click();
  await page.waitForURL(/city=330100/);
  assert.match(await page.locator('.hero h1').innerText(), /杭州市/);
});

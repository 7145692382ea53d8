import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, BASE, PASSWORD } from '../lib/browser.mjs';

// The buyer's path with JavaScript off: every step a plain form and a redirect.
let context;
before(async () => { context = await launch({ javaScriptEnabled: false }); });
after(async () => { await context?.close(); });

test('without JavaScript a buyer buys from the second-cheapest supplier, edits the cart and places the order on the proposed line', async () => {
  const page = await context.newPage();
  await page.goto(`${BASE}/login`);
  await page.getByLabel('用户名', { exact: true }).fill('demo-buyer');
  await page.getByLabel('密码', { exact: true }).fill(PASSWORD);
  await Promise.all([page.waitForURL((url) => !url.pathname.endsWith('/login')), page.getByRole('button', { name: '登录' }).click()]);

  // Start from an empty cart: each line removed with its own form.
  await page.goto(`${BASE}/buyer/cart`);
  while (await page.locator('#cart button.danger').count() > 0) {
    await Promise.all([page.waitForURL(/\/buyer\/cart$/), page.locator('#cart button.danger').first().click()]);
  }

  await page.goto(`${BASE}/search?q=${encodeURIComponent('复印纸')}&city=310100`);
  await Promise.all([page.waitForURL(/\/product\/\d+/), page.locator('li.hit h2 a').first().click()]);
  // The offers are listed cheapest first: take the second one that can be bought.
  const rows = page.locator('table tbody tr[data-offer]:not(.out-of-stock):not(.above-cap)');
  assert.ok(await rows.count() >= 2, 'at least two suppliers to choose from');
  const second = rows.nth(1);
  const supplier = (await second.locator('td').first().innerText()).trim();
  await second.locator('input[name="quantity"]').fill('2');
  await Promise.all([page.waitForURL(/\/buyer\/cart\/add/), second.getByRole('button', { name: `加入购物车（${supplier}）` }).click()]);
  assert.match(await page.locator('#add-heading').innerText(), /\S/);
  assert.match(await page.locator('.facts').innerText(), new RegExp(supplier));
  await Promise.all([page.waitForURL(/\/buyer\/cart$/), page.locator('#cart-add-form button[type="submit"]').click()]);

  // Edit the cart: one more with the + button.
  const line = page.locator('#cart .cart-group', { hasText: supplier }).locator('tbody tr').first();
  const quantity = Number(await line.locator('input[name="quantity"]').inputValue());
  await Promise.all([page.waitForURL(/\/buyer\/cart$/), line.getByRole('button', { name: /^增加一件/ }).click()]);
  const edited = page.locator('#cart .cart-group', { hasText: supplier }).locator('tbody tr').first();
  assert.equal(Number(await edited.locator('input[name="quantity"]').inputValue()), quantity + 1);

  // The line proposed for what is bought is the one chosen.
  await page.locator('#budget-proposal').waitFor();
  assert.equal(await page.locator('#budget-mismatch').count(), 0, 'the proposed line fits');
  await Promise.all([page.waitForURL(/\/orders\?placed=\d+/), page.locator('#place-order').click()]);
  assert.match(await page.locator('#placed-note').innerText(), /已提交 \d+ 笔订单/);
  assert.match(await page.locator('.order-centre table').innerText(), new RegExp(supplier), 'the order is listed');
});

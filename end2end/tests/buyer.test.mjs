import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, ready, BASE, PASSWORD } from '../lib/browser.mjs';

// The buyer's day, the same path with JavaScript off (every step a plain form and a
// redirect) and on (islands enhancing the same forms).
const contexts = [];
after(async () => { for (const c of contexts) await c.close(); });

for (const javaScriptEnabled of [false, true]) {
  const how = javaScriptEnabled ? 'with JavaScript' : 'without JavaScript';

  test(`${how} a buyer buys from the second-cheapest supplier, edits the cart, places the order on the proposed line, and receives and accepts it once shipped`, async () => {
    const context = await launch({ javaScriptEnabled });
    contexts.push(context);
    const page = await context.newPage();
    const settle = async () => { if (javaScriptEnabled) await ready(page); };

    /** Signs in through the form; false when the name is not known. */
    const signIn = async (username) => {
      await context.clearCookies();
      await page.goto(`${BASE}/login`);
      await settle();
      await page.getByLabel('用户名', { exact: true }).fill(username);
      await page.getByLabel('密码', { exact: true }).fill(PASSWORD);
      await page.getByRole('button', { name: '登录' }).click();
      await page.waitForURL((url) => !url.pathname.endsWith('/login'), { timeout: 5000 }).catch(() => {});
      return !new URL(page.url()).pathname.endsWith('/login');
    };
    /** Presses a step's button (confirming it when asked) and waits for the order's new status. */
    const step = async (button, status) => {
      await page.locator(button).click();
      const confirm = page.locator('#confirm-yes');
      if (await confirm.waitFor({ timeout: 1000 }).then(() => true, () => false)) await confirm.click();
      await page.locator('#order-status').filter({ hasText: new RegExp(`^${status}$`) }).waitFor({ timeout: 10000 })
        .catch(async () => assert.fail(`${button}: ${await page.locator('#step-error, #action-error').allInnerTexts()}`));
      await settle();
    };

    assert.ok(await signIn('demo-buyer'));
    // Start from an empty cart: each line removed with its own form.
    await page.goto(`${BASE}/buyer/cart`);
    while (await page.locator('#cart button.danger').count() > 0) {
      await Promise.all([page.waitForURL(/\/buyer\/cart$/), page.locator('#cart button.danger').first().click()]);
    }

    await page.goto(`${BASE}/search?q=${encodeURIComponent('复印纸')}&city=310100`);
    await Promise.all([page.waitForURL(/\/product\/\d+/), page.locator('li.hit h2 a').first().click()]);
    await settle();
    // The offers are listed cheapest first: take the second one that can be bought.
    const rows = page.locator('table tbody tr[data-offer]:not(.out-of-stock):not(.above-cap)');
    assert.ok(await rows.count() >= 2, 'at least two suppliers to choose from');
    const second = rows.nth(1);
    const supplier = (await second.locator('td').first().innerText()).trim();
    const supplierId = (await second.locator('td a').first().getAttribute('href')).match(/\/supplier\/(\d+)/)[1];
    await second.locator('input[name="quantity"]').fill('2');
    const add = second.getByRole('button', { name: `加入购物车（${supplier}）` });
    if (javaScriptEnabled) {
      await add.click();
      await second.locator('.buy-message', { hasText: '已加入购物车' }).waitFor();
      await page.goto(`${BASE}/buyer/cart`);
    } else {
      // Without script the button asks on a page of its own.
      await Promise.all([page.waitForURL(/\/buyer\/cart\/add/), add.click()]);
      assert.match(await page.locator('.facts').innerText(), new RegExp(supplier));
      await Promise.all([page.waitForURL(/\/buyer\/cart$/), page.locator('#cart-add-form button[type="submit"]').click()]);
    }

    // Edit the cart: one more with the + button.
    const line = () => page.locator('#cart .cart-group', { hasText: supplier }).locator('tbody tr').first();
    assert.equal(Number(await line().locator('input[name="quantity"]').inputValue()), 2);
    await Promise.all([page.waitForURL(/\/buyer\/cart$/), line().getByRole('button', { name: /^增加一件/ }).click()]);
    assert.equal(Number(await line().locator('input[name="quantity"]').inputValue()), 3);
    await settle();

    // The line proposed for what is bought is the one chosen.
    assert.match(await page.locator('#budget-proposal').innerText(), /办公费/);
    assert.match(await page.locator('#budget-line option:checked').innerText(), /办公费/);
    assert.equal(await page.locator('#budget-mismatch').count(), 0, 'the proposed line fits');
    if (javaScriptEnabled) {
      await page.locator('#checkout-preview').waitFor({ state: 'attached' });
      await page.locator('#place-order').click();
      await page.locator('#receipt').waitFor({ timeout: 15000 });
      await page.goto(`${BASE}/orders`);
    } else {
      await Promise.all([page.waitForURL(/\/orders\?placed=\d+/), page.locator('#place-order').click()]);
      assert.match(await page.locator('#placed-note').innerText(), /已提交 \d+ 笔订单/);
    }
    const listed = page.locator('.order-centre tbody tr', { hasText: supplier }).first();
    const orderUrl = new URL(await listed.locator('a').first().getAttribute('href'), BASE).href;

    // The supplier confirms and ships with a tracking number.
    if (!(await signIn(`supplier${supplierId.padStart(3, '0')}`))) assert.ok(await signIn('demo-supplier'));
    await page.goto(orderUrl);
    await settle();
    await step('#do-confirm', '已确认');
    await page.locator('#carrier').fill('顺丰速运');
    await page.locator('#tracking-no').fill('SF 1234 5678 9012');
    await step('#do-ship', '已发货');

    // The buyer finds it under 待收货, confirms it arrived, and accepts it.
    assert.ok(await signIn('demo-buyer'));
    await page.goto(`${BASE}/orders`);
    await Promise.all([page.waitForURL(/tab=awaiting_delivery/), page.locator('#order-tabs a', { hasText: '待收货' }).click()]);
    await Promise.all([page.waitForURL(orderUrl), page.locator(`.order-centre a[href="${new URL(orderUrl).pathname}"]`).click()]);
    await settle();
    assert.match(await page.locator('#shipment').innerText(), /顺丰速运.*SF123456789012/);
    await step('#do-deliver', '已送达');
    await page.locator('#rating').selectOption('5');
    await page.locator('#step-note').fill('数量规格无误');
    await step('#do-accept', '已验收');
  });
}

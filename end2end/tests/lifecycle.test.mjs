import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, signedIn, ready, go, BASE } from '../lib/browser.mjs';

let context;
before(async () => { context = await launch(); });
after(async () => { await context?.close(); });

/** ¥1,234.50 → 123450 fen */
const fen = (text) => Math.round(Number(text.replace(/[^\d.]/g, '')) * 100);

/** Frozen and spent on a budget line, as the buyer's home page shows them. */
async function budgetRow(page, code) {
  await page.goto(`${BASE}/buyer`);
  const cells = await page.locator('#budget-lines tbody tr', { hasText: code }).locator('td').allInnerTexts();
  return { frozen: fen(cells[5]), spent: fen(cells[6]) };
}

const as = (username) => signedIn(context, username);

/** Clicks a step's button and waits for the reloaded page to show the new status. */
async function step(page, button, status) {
  for (let attempt = 0; attempt < 3; attempt++) {
    await page.locator(button).click();
    // An irreversible step asks once more.
    const confirm = page.locator('#confirm-yes');
    if (await confirm.waitFor({ timeout: 1500 }).then(() => true, () => false)) {
      assert.match(await page.locator('#confirm-question').innerText(), /不可撤销/);
      await confirm.click();
    }
    try {
      await page.waitForFunction((s) => document.querySelector('#order-status')?.textContent === s, status, { timeout: 8000 });
      await ready(page);
      return;
    } catch {
      // The island may not have hydrated yet when clicked; try again.
    }
  }
  assert.fail(`${button} did not lead to ${status}: ${await page.locator('#action-error').allInnerTexts()}`);
}

test('search, cart, checkout, confirm, ship, deliver, accept, invoice, pay — in zh-CN with exact budgets', async () => {
  let page = await as('demo-buyer');
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${BASE}/search?q=${encodeURIComponent('签字笔')}&city=310100`);
  await Promise.all([page.waitForURL(/\/product\/\d+/), page.locator('li.hit h2 a').first().click()]);
  await ready(page);
  await page.getByLabel('数量', { exact: true }).fill('3');
  await page.getByRole('button', { name: '加入购物车', exact: true }).click();
  await page.locator('.buy-message', { hasText: '已加入购物车' }).waitFor();

  await go(page, `${BASE}/buyer/cart`);
  const total = fen(await page.locator('.checkout .total strong').innerText());
  const code = (await page.locator('#budget-line option:checked').innerText()).split(' · ')[0];
  await page.locator('#checkout-preview').waitFor({ state: 'attached' });
  const before = await budgetRow(page, code);

  await go(page, `${BASE}/buyer/cart`);
  await page.locator('#checkout-preview').waitFor({ state: 'attached' });
  await page.locator('#place-order').click();
  const receipt = page.locator('#receipt');
  await receipt.waitFor({ timeout: 15000 });
  const orderNo = (await receipt.locator('li').first().innerText()).split(' ')[0];
  assert.deepEqual(await budgetRow(page, code), { frozen: before.frozen + total, spent: before.spent }, 'frozen at checkout');

  await Promise.all([page.waitForURL(/\/orders\/\d+$/), page.getByRole('link', { name: orderNo }).click()]);
  const orderUrl = page.url();
  assert.equal(await page.locator('#order-status').innerText(), '已下单');
  assert.equal(fen(await page.locator('#order-total').innerText()), total);
  const supplierId = (await page.locator('.facts a[href^="/supplier/"]').first().getAttribute('href')).split('/')[2];

  // The supplier: demo-supplier, or supplierNNN by id.
  const supplierUser = supplierId === (await demoSupplierId()) ? 'demo-supplier' : `supplier${supplierId.padStart(3, '0')}`;
  page = await as(supplierUser);
  await go(page, orderUrl);
  await step(page, '#do-confirm', '已确认');
  assert.match(await page.locator('.digest').innerText(), /^[0-9a-f]{64}$/, 'the contract is signed with its digest');
  await page.locator('#carrier').fill('顺丰速运');
  await page.locator('#tracking-no').fill('SF 1234 5678 9012');
  await step(page, '#do-ship', '已发货');
  assert.match(await page.locator('#shipment').innerText(), /顺丰速运.*SF123456789012/);
  await step(page, '#do-deliver', '已送达');

  page = await as('demo-buyer');
  await go(page, orderUrl);
  await page.locator('#rating').selectOption('4');
  await page.locator('#step-note').fill('数量规格无误');
  await step(page, '#do-accept', '已验收');
  assert.equal(await page.locator('#rating').getAttribute('title'), '4');
  assert.deepEqual(await budgetRow(page, code), { frozen: before.frozen + total, spent: before.spent }, 'still frozen after acceptance');
  await go(page, orderUrl);
  await Promise.all([page.waitForURL(/\/contract$/), page.locator('#contract-link').click()]);
  assert.match(await page.locator('#contract').innerText(), /政府采购电子卖场合同/);
  assert.match(await page.locator('#contract-check').innerText(), /校验一致/);

  page = await as(supplierUser);
  await go(page, orderUrl);
  await page.locator('#invoice-no').fill('26310000000000012345');
  await step(page, '#do-invoice', '已开票');

  page = await as('demo-buyer');
  await go(page, orderUrl);
  assert.equal(await page.locator('#invoice-no').innerText(), '26310000000000012345');
  await step(page, '#do-pay', '已支付');
  const timeline = await page.locator('#timeline li').allInnerTexts();
  assert.equal(timeline.length, 7, timeline.join('\n'));
  assert.deepEqual(await budgetRow(page, code), { frozen: before.frozen, spent: before.spent + total }, 'paid: frozen becomes spent');
  assert.deepEqual(errors, []);
});

async function demoSupplierId() {
  const page = await as('demo-supplier');
  const href = await page.locator('#my-score').getAttribute('href');
  return href.split('/')[2];
}

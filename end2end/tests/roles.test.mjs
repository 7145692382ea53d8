import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, signedIn, ready, go, BASE } from '../lib/browser.mjs';

// Each role's main task, through the pages alone, with JavaScript.
let context;
before(async () => { context = await launch(); });
after(async () => { await context?.close(); });

const as = (username) => signedIn(context, username);

test('an order above the threshold on a line for something else: the buyer is warned, the approver sees the purpose and approves', async () => {
  let page = await as('demo-buyer');
  // Empty the cart first (an earlier test may have left lines).
  await go(page, `${BASE}/buyer/cart`);
  while (await page.locator('#cart button.danger').count() > 0) {
    await Promise.all([page.waitForURL(/\/buyer\/cart$/), page.locator('#cart button.danger').first().click()]);
  }
  await go(page, `${BASE}/search?q=${encodeURIComponent('笔记本电脑')}&city=310100`);
  await Promise.all([page.waitForURL(/\/product\/\d+/), page.locator('li.hit h2 a').first().click()]);
  await ready(page);
  const row = page.locator('table tbody tr[data-offer]:not(.out-of-stock):not(.above-cap)').first();
  await row.locator('input[name="quantity"]').fill('12');
  await row.getByRole('button', { name: /^加入购物车/ }).click();
  await row.locator('.buy-message', { hasText: '已加入购物车' }).waitFor();

  await go(page, `${BASE}/buyer/cart`);
  // Laptops are office equipment: the line for it is proposed; the office-supplies line is warned of.
  assert.match(await page.locator('#budget-proposal').innerText(), /办公设备购置/);
  assert.match(await page.locator('#budget-line option:checked').innerText(), /办公设备购置/);
  const office = await page.locator('#budget-line option', { hasText: '办公费' }).first().getAttribute('value');
  await page.locator('#budget-line').selectOption(office);
  assert.match(await page.locator('#budget-mismatch').innerText(), /办公设备购置.*办公费.*审批人/);
  await page.locator('#checkout-preview').waitFor({ state: 'attached' });
  assert.match(await page.locator('#checkout-preview').innerText(), /审批/);
  await page.locator('#place-order').click();
  const receipt = page.locator('#receipt');
  await receipt.waitFor({ timeout: 15000 });
  const orderNo = (await receipt.locator('li').first().innerText()).split(' ')[0];

  page = await as('demo-approver');
  await go(page, `${BASE}/orders`);
  await Promise.all([page.waitForURL(/tab=awaiting_approval/), page.locator('#order-tabs a', { hasText: '待审批' }).click()]);
  await Promise.all([page.waitForURL(/\/orders\/\d+$/), page.getByRole('link', { name: orderNo }).click()]);
  await ready(page);
  assert.match(await page.locator('.facts').first().innerText(), /支付预算[\s\S]*办公费/);
  assert.match(await page.locator('#budget-mismatch').innerText(), /办公设备购置.*办公费/);
  await page.locator('#do-approve').click();
  await page.waitForFunction(() => document.querySelector('#order-status')?.textContent === '已下单', null, { timeout: 10000 });
});

test('the regulator narrows the dashboard four times in a row and confirms a red flag with a note', async () => {
  const page = await as('demo-regulator');
  await go(page, `${BASE}/console`);
  const filter = async (change, expected) => {
    await change();
    await Promise.all([page.waitForURL(expected), page.locator('#dash-filter button[type=submit]').click()]);
    await ready(page);
    assert.match(await page.locator('#dash-spend dd').textContent(), /¥/, `${page.url()}: the figures are shown`);
  };
  await filter(() => page.selectOption('#dash-filter select[name=city]', '310100'), /city=310100/);
  const district = await page.locator('#dash-filter select[name=district] option').nth(1).getAttribute('value');
  await filter(() => page.selectOption('#dash-filter select[name=district]', district), new RegExp(`district=${district}`));
  await filter(() => page.selectOption('#dash-filter select[name=category]', 'A02'), /category=A02/);
  // A start after the end is explained in place; the dashboard stays.
  const to = await page.locator('#dash-filter input[name=to]').inputValue();
  const [y, m] = to.split('-').map(Number);
  const after = `${m === 12 ? y + 1 : y}-${String(m === 12 ? 1 : m + 1).padStart(2, '0')}`;
  await filter(() => page.fill('#dash-filter input[name=from]', after), /from=/);
  assert.match(await page.locator('#dash-notes').innerText(), /起始月份晚于截止月份/);
  assert.equal(await page.locator('#dash-filter select[name=category]').inputValue(), 'A02', 'the narrowing is kept');

  // On a phone every amount stays whole inside its card.
  for (const width of [390, 320]) {
    await page.setViewportSize({ width, height: 800 });
    await go(page, `${BASE}/console`);
    const squeezed = await page.locator('#dash-kpis dd').evaluateAll((ds) => ds.filter((d) => d.scrollWidth > d.clientWidth + 1).map((d) => d.textContent));
    assert.deepEqual(squeezed, [], `at ${width} px`);
  }
  await page.setViewportSize({ width: 1280, height: 900 });

  await go(page, `${BASE}/console/alerts`);
  await Promise.all([page.waitForURL(/\/console\/alerts\/\d+/), page.locator('#alerts a[href*="/console/alerts/"]').first().click()]);
  await ready(page);
  // A note is required.
  await page.locator('#alert-confirm').click();
  await page.locator('#alert-triage .field-error').waitFor();
  await page.getByLabel('处理意见').fill('经核查属实，转入约谈');
  await page.locator('#alert-confirm').click();
  await page.waitForFunction(() => document.body.innerText.includes('经核查属实，转入约谈'), null, { timeout: 10000 });
  // On a phone the case's facts (its amount, its measures) stay whole.
  await page.setViewportSize({ width: 390, height: 800 });
  await page.reload();
  const squeezed = await page.locator('#alert-facts dd').evaluateAll((ds) => ds.filter((d) => d.scrollWidth > d.clientWidth + 1).map((d) => d.textContent));
  assert.deepEqual(squeezed, [], 'at 390 px');
});

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, BASE, PASSWORD } from '../lib/browser.mjs';

// The console's decisions with JavaScript off: each is a plain form, and the page it was
// sent from says, once, whether it is recorded.
let context;
after(async () => { await context?.close(); });

test('without JavaScript a raised price is held, the operator rejects it, and the regulator dismisses a red flag saying why', async () => {
  context = await launch({ javaScriptEnabled: false });
  const page = await context.newPage();
  const signIn = async (username) => {
    await context.clearCookies();
    await page.goto(`${BASE}/login`);
    await page.getByLabel('用户名', { exact: true }).fill(username);
    await page.getByLabel('密码', { exact: true }).fill(PASSWORD);
    await Promise.all([page.waitForURL((url) => !url.pathname.endsWith('/login')), page.getByRole('button', { name: '登录' }).click()]);
  };
  const notice = () => page.locator('#notice').innerText();

  // The supplier raises a price far above the market's: held for the operator.
  await signIn('demo-supplier');
  await page.goto(`${BASE}/workbench/listings`);
  const offer = page.locator('form.price-editor').first();
  await offer.locator('input[name=price]').fill('99999');
  await offer.locator('input[name=reason]').fill('原材料上涨');
  await Promise.all([page.waitForURL(/outcome=held/), offer.getByRole('button', { name: '保存' }).click()]);

  // The operator finds it in the queue; rejecting needs no reason, but one is given.
  await signIn('demo-operator');
  await page.goto(`${BASE}/console/listings`);
  const held = page.locator('#queue-heading ~ * tr', { has: page.locator('form.decision') }).filter({ hasText: '99,999' });
  assert.equal(await held.count(), 1, 'the held price is in the queue');
  await held.locator('input[name=note]').fill('远高于市场参考价');
  await Promise.all([page.waitForURL(/\/console\/listings$/), held.getByRole('button', { name: '驳回' }).click()]);
  assert.match(await notice(), /已记录您的决定/);
  assert.equal(await page.locator('#queue-heading ~ * tr').filter({ hasText: '99,999' }).count(), 0, 'no longer waiting');
  await page.reload();
  assert.equal(await page.locator('#notice').count(), 0, 'said once');
  assert.doesNotMatch(await page.locator('main').innerText(), /99,999/);

  // The regulator dismisses a red flag: first without a note (refused, said), then with one.
  await signIn('demo-regulator');
  await page.goto(`${BASE}/console/alerts`);
  const link = page.locator('#alerts a[href*="/console/alerts/"]').last();
  const href = await link.getAttribute('href');
  await Promise.all([page.waitForURL(/\/console\/alerts\/\d+$/), link.click()]);
  await Promise.all([page.waitForURL(new RegExp(`${href}$`)), page.locator('#alert-dismiss').click()]);
  assert.match(await notice(), /须写明理由/);
  assert.equal(await page.locator('#notice').getAttribute('role'), 'alert');
  await page.locator('#alert-triage input[name=note]').fill('价格随原材料行情上涨，已核实');
  await Promise.all([page.waitForURL(new RegExp(`${href}$`)), page.locator('#alert-dismiss').click()]);
  assert.match(await notice(), /已记录您的决定/);
  assert.match(await page.locator('#alert-facts').innerText(), /价格随原材料行情上涨，已核实/);
});

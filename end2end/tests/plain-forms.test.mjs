import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, BASE, PASSWORD } from '../lib/browser.mjs';

// Forms with JavaScript off: the console's decisions and a unit's part in a pool are plain
// forms, and the page the person returns to says, once, what was done.
let context;
before(async () => { context = await launch({ javaScriptEnabled: false }); });
after(async () => { await context?.close(); });

const signIn = async (page, username) => {
  await context.clearCookies();
  await page.goto(`${BASE}/login`);
  await page.getByLabel('用户名', { exact: true }).fill(username);
  await page.getByLabel('密码', { exact: true }).fill(PASSWORD);
  await Promise.all([page.waitForURL((url) => !url.pathname.endsWith('/login')), page.getByRole('button', { name: '登录' }).click()]);
};

test('without JavaScript a raised price is held, the operator rejects it, and the regulator dismisses a red flag saying why', async () => {
  const page = await context.newPage();
  const notice = () => page.locator('#notice').innerText();

  // The supplier raises a price far above the market's: held for the operator.
  await signIn(page, 'demo-supplier');
  await page.goto(`${BASE}/workbench/listings`);
  const offer = page.locator('form.price-editor').first();
  await offer.locator('input[name=price]').fill('99999');
  await offer.locator('input[name=reason]').fill('原材料上涨');
  await Promise.all([page.waitForURL(/outcome=held/), offer.getByRole('button', { name: '保存' }).click()]);

  // The operator finds it in the queue; rejecting needs no reason, but one is given.
  await signIn(page, 'demo-operator');
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
  await signIn(page, 'demo-regulator');
  await page.goto(`${BASE}/console/alerts`);
  const link = page.locator('#alerts a[href*="/console/alerts/"]').last();
  const href = await link.getAttribute('href');
  await Promise.all([page.waitForURL(/\/console\/alerts\/\d+$/), link.click()]);
  await Promise.all([page.waitForURL(new RegExp(`${href}$`)), page.locator('#alert-dismiss').click()]);
  assert.match(await notice(), /未完成：请填写理由/);
  assert.equal(await page.locator('#notice').getAttribute('role'), 'alert');
  await page.locator('#alert-triage input[name=note]').fill('价格随原材料行情上涨，已核实');
  await Promise.all([page.waitForURL(new RegExp(`${href}$`)), page.locator('#alert-dismiss').click()]);
  assert.match(await notice(), /已记录您的决定/);
  assert.match(await page.locator('#alert-facts').innerText(), /价格随原材料行情上涨，已核实/);
});

test('without JavaScript a buyer joins an open pool from its page, changes the quantity and leaves', async () => {
  const page = await context.newPage();
  await signIn(page, 'demo-buyer');
  await page.goto(`${BASE}/pools`);
  const open = page.locator('#open-pools-heading ~ * a[href^="/pools/"]').first();
  await Promise.all([page.waitForURL(/\/pools\/\d+$/), open.click()]);
  await Promise.all([page.waitForURL(/\/pools\/\d+\/part$/), page.locator('#pool-part-link').click()]);
  // A quantity in words is refused in place, as typed.
  await page.locator('#pool-quantity').fill('三箱');
  await page.locator('#pool-commit').click();
  assert.match(await page.locator('#part-error').innerText(), /数量须为/);
  assert.equal(await page.locator('#pool-quantity').inputValue(), '三箱');
  await page.locator('#pool-quantity').fill('3');
  await Promise.all([page.waitForURL(/\/part$/), page.locator('#pool-commit').click()]);
  assert.match(await page.locator('#notice').innerText(), /相应预算已冻结/);
  assert.match(await page.locator('#my-commitment').innerText(), /3/);
  await page.locator('#pool-quantity').fill('5');
  await Promise.all([page.waitForURL(/\/part$/), page.locator('#pool-commit').click()]);
  assert.match(await page.locator('#my-commitment').innerText(), /5/);
  await Promise.all([page.waitForURL(/\/part$/), page.locator('#pool-withdraw').click()]);
  assert.match(await page.locator('#notice').innerText(), /冻结的预算已释放/);
  assert.match(await page.locator('#my-commitment').innerText(), /已退出/);
});

test('without JavaScript a supplier finds a product, lists it, and creates and revokes an API token', async () => {
  const page = await context.newPage();
  await signIn(page, 'demo-supplier');
  await page.goto(`${BASE}/workbench/listings`);
  await page.locator('#find-product').fill('文件');
  await Promise.all([page.waitForURL(/find=/), page.locator('#find-button').click()]);
  const picks = await page.locator('.add-offer .product-picks a.pick').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.ok(picks.length > 0, 'the search found products');
  // The first product the supplier does not list yet goes on sale.
  let listed = false;
  for (const href of picks.slice(0, 8)) {
    await page.goto(`${BASE}${href}`);
    await page.locator('#new-price').fill('十元');
    await page.locator('#create-offer').click();
    await page.waitForLoadState();
    assert.match(await page.locator('#offer-said').innerText(), /未保存|金额|价格|正数|大于/, 'a price in words is refused in place');
    assert.equal(await page.locator('#new-price').inputValue(), '十元');
    await page.locator('#new-price').fill('1.00');
    await page.locator('#create-offer').click();
    await page.waitForLoadState();
    if (await page.locator('#notice').count()) { listed = true; break; }
    assert.match(await page.locator('#offer-said').innerText(), /已有该商品/, 'only a product already listed is refused');
  }
  assert.ok(listed, 'a product was listed');
  assert.match(await page.locator('#notice').innerText(), /已上架|人工审核/);

  // An API token: its secret shown in the answer, once; then revoked.
  await page.goto(`${BASE}/workbench/listings#tokens-heading`);
  await page.locator('#token-name').fill('ERP 测试');
  await page.locator('#create-token').click();
  await page.waitForLoadState();
  assert.match(await page.locator('#new-token').innerText(), /^emt_/);
  await page.goto(`${BASE}/workbench/listings`);
  assert.equal(await page.locator('#new-token').count(), 0, 'shown once');
  const revoke = page.locator('#tokens tr', { hasText: 'ERP 测试' }).getByRole('button', { name: '吊销' });
  await Promise.all([page.waitForURL(/\/workbench\/listings/), revoke.click()]);
  assert.match(await page.locator('#notice').innerText(), /令牌已吊销/);
});

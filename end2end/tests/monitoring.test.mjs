import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, signIn, ready, BASE, go } from '../lib/browser.mjs';

// 一屏管交易 in the browser, in zh-CN: the regulator reads the demo city's figures and
// charts, narrows them to a category, exports a table, drills into the split purchase the
// demo placed through checkout, and suspends the supplier — its offers leave search within
// a second; the public disclosure page, the supplier's page and the OCDS export show it.
// Afterwards the supplier appeals and the regulator overturns, so later tests find the mall
// as it was.

let context;
before(async () => { context = await launch(); });
after(async () => { await context?.close(); });

async function csrf() {
  return (await context.cookies()).find((c) => c.name === 'emall_csrf')?.value ?? '';
}

/** Search hits in the demo city whose best offer is the supplier's. */
async function bestOffersOf(page, supplierName) {
  const r = await page.request.get(`${BASE}/api/v1/search?q=${encodeURIComponent('台式计算机')}&city=310100&page_size=50`);
  const body = await r.json();
  return body.hits.filter((h) => h.best_supplier === supplierName).length;
}

test('the regulator reads the dashboard, drills into a split purchase and suspends the supplier; the public sees it', async () => {
  await context.clearCookies();
  const page = await context.newPage();
  await signIn(page, 'demo-regulator');
  await go(page, `${BASE}/console`);

  // The year's figures, with charts that read without JavaScript.
  assert.match(await page.locator('#dash-spend dd').textContent(), /¥[1-9]/);
  assert.ok(Number((await page.locator('#dash-orders dd').textContent()).replace(/,/g, '')) > 1000);
  assert.match(await page.locator('#dash-sme dd').textContent(), /%$/);
  assert.ok((await page.locator('svg.chart').count()) >= 4, 'trend, categories, suppliers, units');
  assert.match(await page.locator('#dash-hhi dd').textContent(), /^\d+/);

  // Narrowed to general equipment: the breakdown shows its subcategories.
  await page.selectOption('select[name=category]', 'A02');
  await Promise.all([page.waitForURL(/category=A02/), page.getByRole('button', { name: '筛选' }).click()]);
  await ready(page);
  await page.locator('#dash-categories-panel summary').click();
  const keys = await page.locator('#dash-categories a').evaluateAll((as) => as.map((a) => new URL(a.href).searchParams.get('category')));
  assert.ok(keys.length > 0 && keys.every((k) => k.startsWith('A02') && k.length > 3), keys.join(','));

  // The suppliers' table exports as CSV with the filter applied.
  const href = await page.locator('a.export-suppliers-csv').first().getAttribute('href');
  assert.match(href, /category=A02/);
  const csv = await page.request.get(`${BASE}${href}`);
  assert.equal(csv.status(), 200);
  assert.match(await csv.text(), /供应商/);

  // The split purchase the demo placed: five orders of one unit in desktop computers
  // (other tests may have raised split alerts of their own by now).
  const splits = await (await page.request.get(`${BASE}/api/v1/alerts?kind=split_purchase&status=all`)).json();
  const seeded = splits.find((a) => a.category_code === 'A02010104' && a.orders.length === 5);
  assert.ok(seeded, 'the demo\'s split purchase is among the red flags');
  await go(page, `${BASE}/console/alerts?kind=split_purchase`);
  await Promise.all([page.waitForURL(/\/console\/alerts\/\d+/), page.locator(`#alerts a[href$="/console/alerts/${seeded.id}"]`).click()]);
  await ready(page);
  const evidence = page.locator('#alert-evidence tbody tr');
  assert.equal(await evidence.count(), 5);
  const orderIds = await page.locator('#alert-evidence a[href*="/orders/"]').evaluateAll((as) => as.map((a) => Number(a.href.split('/').pop())));
  const supplierLink = page.locator('#alert-facts a[href*="/console/suppliers/"]');
  const supplierName = (await supplierLink.textContent()).trim();
  const supplierId = Number((await supplierLink.getAttribute('href')).split('/').pop());
  assert.ok((await bestOffersOf(page, supplierName)) > 0, 'the supplier sells the cheapest desktop computer');

  // Suspend it for 30 days, naming the alert; its offers leave search within a second.
  await page.selectOption('#credit-kind', 'suspension');
  await page.fill('#credit-days', '30');
  await page.fill('#credit-reason', '配合预算单位拆分采购，规避电子卖场限额');
  // Suspending is asked once more.
  await page.click('#record-credit');
  assert.match(await page.locator('#credit-confirm-question').innerText(), /暂停.*不可撤销/);
  const started = Date.now();
  await Promise.all([page.waitForLoadState('load'), page.click('#credit-confirm-yes')]);
  for (;;) {
    if ((await bestOffersOf(page, supplierName)) === 0) break;
    assert.ok(Date.now() - started < 1000, 'offers still in search a second after the suspension');
    await new Promise((r) => setTimeout(r, 50));
  }

  // The public, without signing in: the disclosure page, the supplier's page, open data.
  await context.clearCookies();
  const pub = await context.newPage();
  await go(pub, `${BASE}/disclosure`);
  assert.match(await pub.locator('#disclosed-credit').textContent(), new RegExp(supplierName));
  assert.match(await pub.locator('#disclosed-credit').textContent(), /暂停/);
  assert.ok((await pub.locator('#disclosed-results tbody tr').count()) > 0);
  assert.ok((await pub.locator('#disclosed-pools tbody tr').count()) > 0);
  await go(pub, `${BASE}/supplier/${supplierId}`);
  assert.match(await pub.locator('#credit-record').textContent(), /拆分采购/);
  const ocds = await (await pub.request.get(`${BASE}/api/v1/ocds/orders`)).json();
  assert.equal(ocds.version, '1.1');
  const ocids = new Set(ocds.releases.map((r) => r.ocid));
  for (const id of orderIds) assert.ok(ocids.has(`ocds-emall0-order-${id}`), `order ${id} in the open data`);
  const pools = await (await pub.request.get(`${BASE}/api/v1/ocds/pools`)).json();
  assert.ok(pools.releases.some((r) => r.awards?.[0]?.status === 'active'));

  // The supplier appeals; the regulator overturns: it sells again.
  const entry = (await (await pub.request.get(`${BASE}/api/v1/suppliers/${supplierId}/credit-entries`)).json())[0];
  const supplierUser = `supplier${String(supplierId).padStart(3, '0')}`;
  const login = async (username) => {
    await context.clearCookies();
    const r = await pub.request.post(`${BASE}/api/v1/auth/login`, { data: { username, password: 'Demo@2026' } });
    assert.equal(r.status(), 200, username);
  };
  await login(supplierUser);
  let r = await pub.request.post(`${BASE}/api/v1/credit-entries/${entry.id}/appeal`, { headers: { 'x-csrf-token': await csrf() }, data: { text: '订单均按单位要求分批供货' } });
  assert.equal(r.status(), 204, await r.text());
  await login('demo-regulator');
  r = await pub.request.post(`${BASE}/api/v1/credit-entries/${entry.id}/decision`, { headers: { 'x-csrf-token': await csrf() }, data: { decision: 'overturn', note: '复核后撤销' } });
  assert.equal(r.status(), 204, await r.text());
  const overturned = Date.now();
  while ((await bestOffersOf(pub, supplierName)) === 0) {
    assert.ok(Date.now() - overturned < 1000, 'back in search within a second of the decision');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
});

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, signIn, ready, BASE, go } from '../lib/browser.mjs';

// 联合采购 in the browser: the operator opens a pool, two suppliers bid volume tiers, three
// units commit, the pool closes at the tier the total reached, orders and freezes are exact,
// the city price is capped afterwards, and a pool that misses its minimum releases everything.

let context;
before(async () => { context = await launch(); });
after(async () => { await context?.close(); });

const CITY = '310100';
const yuan = (fen) => (fen / 100).toFixed(2);
const pad = (id) => String(id).padStart(3, '0');

/** A fresh page signed in as `username`; null when the demo has no such person. */
async function as(username) {
  await context.clearCookies();
  const page = await context.newPage();
  const r = await page.request.post(`${BASE}/api/v1/auth/login`, { data: { username, password: 'Demo@2026' } });
  if (r.status() !== 200) { await page.close(); return null; }
  await context.clearCookies();
  await signIn(page, username);
  return page;
}

async function csrf() {
  return (await context.cookies()).find((c) => c.name === 'emall_csrf')?.value ?? '';
}

/** The unit's budget line with the most room this fiscal year (the only ones offered), as its buyer sees it. */
async function line(page, unit) {
  const lines = await (await page.request.get(`${BASE}/api/v1/units/${unit}/budget-lines`)).json();
  const year = Math.max(...lines.map((l) => l.fiscal_year));
  return lines.filter((l) => l.fiscal_year === year).reduce((a, b) => (b.available > a.available ? b : a));
}

/** Clicks a button that reloads the page, retrying if the island had not hydrated yet. */
async function clickAndReload(page, selector) {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await Promise.all([page.waitForEvent('load', { timeout: 8000 }), page.locator(selector).click()]);
      await ready(page);
      return;
    } catch (e) {
      if (attempt === 2) throw e;
    }
  }
}

test('a joint purchase settles at the tier its total reached, with exact orders and freezes, and caps the city price', async () => {
  // The demo's Shanghai units and a product at least two suppliers sell there.
  const units = (await (await context.request.get(`${BASE}/api/v1/units?city=${CITY}`)).json()).map((u) => u.id);
  let product;
  let offers;
  // The onboarding test's thousand single-offer products may fill the first pages.
  for (let p = 1; p <= 80 && !product; p++) {
    const hits = (await (await context.request.get(`${BASE}/api/v1/search?city=${CITY}&page=${p}`)).json()).hits;
    if (hits.length === 0) break;
    for (const h of hits.filter((h) => h.offer_count >= 2 && !h.price_cap && h.reference_price >= 2000 && h.reference_price <= 30000)) {
      offers = await (await context.request.get(`${BASE}/api/v1/products/${h.product_id}/offers?city=${CITY}`)).json();
      // Two demo suppliers (the onboarding test's supplier may list it too).
      offers = offers.filter((o) => o.supplier_name !== '上海浏览器测试文具有限公司');
      if (offers.length >= 2) { product = h; break; }
    }
  }
  assert.ok(product, 'a product two suppliers sell in Shanghai');
  const ceiling = product.reference_price;
  const price = (permille) => Math.floor((ceiling * permille) / 1000);

  // The operator opens the pool.
  let page = await as('demo-operator');
  await go(page, `${BASE}/console/pools`);
  await page.locator('#pool-find').fill(product.model);
  await page.locator('#pool-find-button').click();
  await page.locator('.open-pool .product-picks li', { hasText: product.title }).getByRole('button').click();
  assert.equal(await page.locator('#pool-ceiling_price').inputValue(), yuan(ceiling), 'the ceiling starts at the reference price');
  await page.locator('#pool-delivery_terms').fill('成交后 5 个工作日内送达各单位');
  await page.locator('#pool-min_total_quantity').fill('100');
  const closes = new Date(Date.now() + 3 * 24 * 3600 * 1000 + 8 * 3600 * 1000).toISOString().slice(0, 10);
  await page.locator('#pool-closes_at').fill(`${closes}T18:00`);
  await Promise.all([page.waitForURL(/\/pools\/\d+$/), page.locator('#open-pool').click()]);
  const poolUrl = page.url();
  const poolId = Number(poolUrl.match(/(\d+)$/)[1]);
  await ready(page);
  assert.match(await page.locator('#pool-state').innerText(), /征集中/);

  // Two suppliers bid: A is cheaper at 300, B at 150, where the pool will end.
  const bidders = [];
  const bids = [[[1, 950], [150, 900], [300, 800]], [[50, 960], [150, 880], [250, 850]]];
  for (const o of offers) {
    if (bidders.length === 2) break;
    if (bidders.some((b) => b.supplier_id === o.supplier_id)) continue;
    // Demo suppliers sign in as supplier<id>; others (registered by earlier tests) are skipped.
    const name = o.supplier_id === 1 ? 'demo-supplier' : `supplier${pad(o.supplier_id)}`;
    page = await as(name);
    if (!page) continue;
    const i = bidders.length;
    bidders.push({ name, supplier_id: o.supplier_id, offer_id: o.offer_id, supplier_name: o.supplier_name });
    await go(page, poolUrl);
    await page.locator('#bid-tiers').waitFor();
    for (const [row, [q, permille]] of bids[i].entries()) {
      await page.locator('#bid-tiers .tier-quantity').nth(row).fill(String(q));
      await page.locator('#bid-tiers .tier-price').nth(row).fill(yuan(price(permille)));
    }
    await clickAndReload(page, '#pool-bid');
    assert.equal(await page.locator('#pool-bids tbody tr').count(), i + 1);
  }
  assert.equal(bidders.length, 2, 'two demo suppliers bid');

  // Three units commit 60 + 50 + 40 = 150; each freezes quantity × ceiling.
  const buyers = [];
  for (const unit of units) {
    if (buyers.length === 4) break;
    const name = `unit${pad(unit)}-buyer`;
    const p = await as(name);
    if (!p) continue;
    buyers.push({ name, unit, line: await line(p, unit) });
    await p.close();
  }
  assert.equal(buyers.length, 4);
  const quantities = [60, 50, 40];
  for (const [i, q] of quantities.entries()) {
    const b = buyers[i];
    page = await as(b.name);
    await go(page, poolUrl);
    await page.locator('#pool-quantity').waitFor();
    await page.locator('#pool-line').selectOption(String(b.line.id));
    await page.locator('#pool-quantity').fill(String(q));
    await clickAndReload(page, '#pool-commit');
    await page.locator('#my-commitment').waitFor();
    const now = await line(page, b.unit);
    assert.equal(now.frozen - b.line.frozen, q * ceiling, `${b.name}: frozen at the ceiling`);
  }

  // The public page shows the total, the price now and the next tier, naming no bidder.
  await context.clearCookies();
  page = await context.newPage();
  await go(page, poolUrl);
  assert.match(await page.locator('.pool-progress').innerText(), /已认购 150/);
  assert.equal(await page.locator('#pool-current-price').innerText(), `¥${Number(yuan(price(880))).toLocaleString('en-US', { minimumFractionDigits: 2 })}`);
  assert.match(await page.locator('.next-tier').innerText(), /再认购 100/);
  assert.doesNotMatch(await page.locator('#pool-bids').innerText(), new RegExp(bidders[1].supplier_name));

  // The operator closes it now: B wins at its 150 tier.
  page = await as('demo-operator');
  await go(page, poolUrl);
  await page.locator('#pool-close').waitFor();
  await clickAndReload(page, '#pool-close');
  assert.match(await page.locator('#pool-state').innerText(), /已成交/);
  assert.match(await page.locator('#pool-result').innerText(), new RegExp(bidders[1].supplier_name));
  const unitPrice = price(880);
  for (const [i, q] of quantities.entries()) {
    const b = buyers[i];
    page = await as(b.name);
    const now = await line(page, b.unit);
    assert.equal(now.frozen - b.line.frozen, q * unitPrice, `${b.name}: exactly quantity × pool price`);
    const mine = await (await page.request.get(`${BASE}/api/v1/pools/${poolId}/mine`)).json();
    assert.equal(mine.commitment.state, 'settled');
    const order = await (await page.request.get(`${BASE}/api/v1/orders/${mine.commitment.order_id}`)).json();
    assert.equal(order.total, q * unitPrice);
    assert.equal(order.supplier_id, bidders[1].supplier_id);
  }

  // A later order in the city: the comparison shows the cap, the loser's offer above it
  // cannot be bought, the winner sells at no more than the pool price.
  const later = buyers[3];
  page = await as(later.name);
  await go(page, `${BASE}/product/${product.product_id}?city=${CITY}`);
  assert.match(await page.locator('#price-cap').innerText(), /同城限价/);
  const token = await csrf();
  const buy = (offer) => page.request.post(`${BASE}/api/v1/checkout`, {
    data: { budget_line_id: later.line.id, items: [{ offer_id: offer, quantity: 2 }] }, headers: { 'x-csrf-token': token },
  });
  const loser = offers.find((o) => o.supplier_id === bidders[0].supplier_id);
  if (loser.price > unitPrice || loser.above_cap) {
    const r = await buy(loser.offer_id);
    assert.equal(r.status(), 422, 'above the cap: refused');
  }
  const winnerOffer = offers.find((o) => o.supplier_id === bidders[1].supplier_id);
  const receipt = await (await buy(winnerOffer.offer_id)).json();
  assert.equal(receipt.orders[0].total, 2 * Math.min(winnerOffer.price, unitPrice), 'capped at the pool price');
});

test('a pool that misses its minimum fails and releases every freeze', async () => {
  const product = (await (await context.request.get(`${BASE}/api/v1/search?city=${CITY}`)).json()).hits[0];
  let page = await as('demo-operator');
  let token = await csrf();
  const closes = new Date(Date.now() + 24 * 3600 * 1000).toISOString();
  const opened = await page.request.post(`${BASE}/api/v1/pools`, {
    data: { product_id: product.product_id, city: CITY, title: '未成团测试', delivery_terms: '5 日内', min_total_quantity: 100000,
      ceiling_price: yuan(product.reference_price), closes_at: closes, validity_days: 30 },
    headers: { 'x-csrf-token': token },
  });
  assert.equal(opened.status(), 201);
  const poolUrl = `${BASE}/pools/${(await opened.json()).id}`;

  page = await as('demo-buyer');
  await go(page, poolUrl);
  await page.locator('#pool-quantity').waitFor();
  const lineId = Number(await page.locator('#pool-line').inputValue());
  const lines = async () => (await (await page.request.get(`${BASE}/api/v1/pools/${poolUrl.match(/\d+$/)[0]}/mine`)).json()).budget_lines.find((l) => l.id === lineId);
  const before = await lines();
  await page.locator('#pool-quantity').fill('3');
  await clickAndReload(page, '#pool-commit');
  assert.equal((await lines()).frozen - before.frozen, 3 * product.reference_price);

  page = await as('demo-operator');
  await go(page, poolUrl);
  await page.locator('#pool-close').waitFor();
  await clickAndReload(page, '#pool-close');
  assert.match(await page.locator('#pool-state').innerText(), /未成团/);
  assert.match(await page.locator('#pool-result').innerText(), /冻结预算已释放/);

  page = await as('demo-buyer');
  await go(page, poolUrl);
  assert.deepEqual(await lines(), before, 'every fen released');
});

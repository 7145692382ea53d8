import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, BASE } from '../lib/browser.mjs';

let context;
before(async () => { context = await launch(); });
after(async () => { await context?.close(); });

test('a buyer searches in Chinese, filters by brand and compares prices', async () => {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${BASE}/`);
  await page.getByRole('searchbox', { name: '商品搜索' }).fill('复印纸');
  await Promise.all([page.waitForURL(/\/search\?/), page.getByRole('searchbox', { name: '商品搜索' }).press('Enter')]);
  assert.match(await page.locator('#results-heading').innerText(), /复印纸/);
  const hits = page.locator('li.hit');
  assert.ok((await hits.count()) >= 5, 'copy paper is found');
  assert.match(await hits.first().locator('h2').innerText(), /复印纸/);
  assert.match(await page.locator('#result-count').innerText(), /个标准商品.*ms/);

  // Filter by the first brand facet: every result is of that brand.
  const brandLink = page.locator('fieldset.facet').filter({ hasText: '品牌' }).locator('a').first();
  const brand = (await brandLink.innerText()).replace(/[☐☑\d\s]/g, '');
  await Promise.all([page.waitForURL(/brand=/), brandLink.click()]);
  const metas = await page.locator('li.hit .card-meta').allInnerTexts();
  assert.ok(metas.length > 0 && metas.every((m) => m.startsWith(brand)), `${brand}: ${metas}`);

  // Sort by price, then open the comparison page of the cheapest.
  await Promise.all([page.waitForURL(/sort=price_asc/), page.getByRole('link', { name: '价格从低到高' }).click()]);
  const first = page.locator('li.hit').first();
  const listed = await first.locator('.lowest').innerText();
  await Promise.all([page.waitForURL(/\/product\/\d+/), first.locator('h2 a').click()]);
  assert.ok(await page.getByRole('heading', { level: 1 }).isVisible());
  const rows = page.locator('#offers tbody tr');
  assert.ok((await rows.count()) >= 1, 'offers are listed');
  assert.equal(await page.locator('#lowest-price').innerText(), listed, 'the comparison agrees with the search');
  assert.equal(await rows.first().locator('td').nth(1).innerText(), listed, 'lowest offer first');
  assert.ok(await page.locator('svg.chart').isVisible(), 'price history chart');
  assert.deepEqual(errors, []);
});

test('a model number finds its product and a nonsense query says so', async () => {
  const page = await context.newPage();
  await page.goto(`${BASE}/search?q=${encodeURIComponent('ｍ２２７ｆｄｗ')}&city=310100`);
  assert.match(await page.locator('li.hit').first().locator('.card-meta').innerText(), /M227fdw/);
  await page.goto(`${BASE}/search?q=${encodeURIComponent('"(*:zzqxj')}&city=310100`);
  assert.ok(await page.locator('p.empty').isVisible());
});

test('category browsing narrows by sub-category', async () => {
  const page = await context.newPage();
  await page.goto(`${BASE}/`);
  await Promise.all([page.waitForURL(/category=/), page.locator('.category-nav > ul > li > a').first().click()]);
  const total = Number((await page.locator('#result-count').innerText()).split(' ')[0].replace(/,/g, ''));
  const sub = page.locator('fieldset.facet').filter({ hasText: '商品分类' }).locator('a').first();
  await Promise.all([page.waitForURL(/category=/), sub.click()]);
  const narrowed = Number((await page.locator('#result-count').innerText()).split(' ')[0].replace(/,/g, ''));
  assert.ok(narrowed > 0 && narrowed <= total, `${narrowed} of ${total}`);
  assert.ok((await page.locator('nav.breadcrumb a').count()) >= 2, 'breadcrumb shows the path');
});

test('on a phone (390 px) the filters open from a bar above the results, within the first screen', async () => {
  const page = await context.newPage();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${BASE}/search?q=${encodeURIComponent('复印纸')}&city=310100`);
  const bar = page.locator('#filters > summary');
  const box = await bar.boundingBox();
  assert.ok(box && box.y + box.height <= 844, `the filter bar is on the first screen: ${JSON.stringify(box)}`);
  const firstHit = await page.locator('li.hit').first().boundingBox();
  assert.ok(box.y < firstHit.y, 'above the results');
  assert.equal(await page.locator('fieldset.facet a').first().isVisible(), false, 'folded at first');
  await bar.click();
  const facet = page.locator('fieldset.facet a').first();
  assert.ok(await facet.isVisible(), 'open');
  const facetBox = await facet.boundingBox();
  assert.ok(facetBox.y + facetBox.height <= 844, `the first filter is on the first screen: ${JSON.stringify(facetBox)}`);
  // A chosen filter is counted on the bar.
  await Promise.all([page.waitForURL(/brand=/), page.locator('fieldset.facet').filter({ hasText: '品牌' }).locator('a').first().click()]);
  assert.match(await page.locator('#filters > summary').innerText(), /已选 1 项/);
});

test('pinyin finds goods as cards, a leaf category and a spec narrow them, a mistyped word is asked about', async () => {
  const page = await context.newPage();
  await page.goto(`${BASE}/search?q=fyz&city=310100`);
  const cards = page.locator('li.hit');
  assert.ok((await cards.count()) >= 5, 'fyz finds 复印纸');
  assert.match(await cards.first().locator('h2').innerText(), /复印纸/);
  // Every card has its picture or the category's tile, the same size either way.
  const tiles = await page.locator('li.hit .hit-image').evaluateAll((els) => els.map((e) => [e.offsetWidth, e.offsetHeight]));
  assert.ok(tiles.every(([w, h]) => w > 100 && Math.abs(w / h - 4 / 3) < 0.05), JSON.stringify(tiles));

  // The leaf category, then one value of a spec: the count shown is what the filter finds.
  const leaf = page.locator('#facet-categories a').filter({ hasText: '复印纸' });
  await Promise.all([page.waitForURL(/category=A090101/), leaf.click()]);
  const weight = page.locator('fieldset.spec-facet').filter({ hasText: '克重' }).locator('a').first();
  const count = Number(await weight.locator('.count').innerText());
  await Promise.all([page.waitForURL(/spec=/), weight.click()]);
  assert.equal(await cards.count(), count, 'the spec finds as many as it said');
  assert.match(await page.locator('#filters > summary').innerText(), /已选 1 项/);

  // A word mistyped with an input method: the page asks about the word meant.
  await page.goto(`${BASE}/search?q=${encodeURIComponent('钉书机')}&city=310100`);
  const meant = page.locator('#did-you-mean a');
  assert.equal(await meant.innerText(), '订书机');
  await Promise.all([page.waitForURL(/q=%E8%AE%A2/), meant.click()]);
  assert.ok((await cards.count()) >= 1, 'the word meant finds staplers');
});

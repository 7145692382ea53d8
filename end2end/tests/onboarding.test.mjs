import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, signIn, ready, BASE } from '../lib/browser.mjs';

let context;
before(async () => { context = await launch(); });
after(async () => { await context?.close(); });

// GB 32100-2015 check character, as a supplier's licence prints it.
const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
function uscc(first17) {
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const sum = [...first17].reduce((s, c, i) => s + CHARSET.indexOf(c) * weights[i], 0);
  return first17 + CHARSET[(31 - (sum % 31)) % 31];
}

test('a supplier registers (a wrong check character is refused precisely) and the operator admits it', async () => {
  await context.clearCookies();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${BASE}/login`);
  await Promise.all([page.waitForURL(/\/supplier\/register$/), page.locator('#register-link').click()]);
  await ready(page);
  const good = uscc('91310104MA7E2E2E1');
  const wrong = good.slice(0, 17) + (good.endsWith('0') ? '1' : '0');
  const name = '上海浏览器测试文具有限公司';
  await page.getByLabel('企业名称').fill(name);
  await page.getByLabel('统一社会信用代码').fill(wrong.toLowerCase());
  await page.getByLabel('法定代表人').fill('赵立新');
  await page.locator('#reg-size').selectOption('small');
  await page.locator('#reg-sme_declared').check();
  await page.locator('#reg-province').selectOption('310000');
  await page.locator('#reg-city option[value="310100"]').waitFor({ state: 'attached' });
  await page.locator('#reg-city').selectOption('310100');
  await page.locator('#reg-district option[value="310104"]').waitFor({ state: 'attached' });
  await page.locator('#reg-district').selectOption('310104');
  await page.getByLabel('注册地址').fill('徐汇区漕溪北路 88 号');
  await page.locator('#reg-next').click();
  await page.getByLabel('联系人').fill('钱晓');
  await page.getByLabel('联系电话').fill('021-6468 0000');
  await page.getByLabel('电子邮箱').fill('e2e@example.cn');
  await page.getByLabel('开户银行').fill('中国银行上海徐汇支行');
  await page.getByLabel('银行账号').fill('4567 8901 2345 6789');
  await page.getByLabel('开户名').fill(name);
  await page.locator('#reg-next').click();
  await page.getByLabel('上海市').check();
  await page.getByLabel('用户名').fill('e2e-stationery');
  await page.getByLabel('密码').fill('Stationery2026');
  await page.locator('#reg-submit').click();

  // Back on the first step, with the exact fault.
  const ucssError = page.locator('#reg-uscc-error');
  await ucssError.waitFor();
  assert.match(await ucssError.innerText(), new RegExp(`校验位错误：第 18 位应为 ${good[17]}`));
  await page.getByLabel('统一社会信用代码').fill(good);
  await page.locator('#reg-next').click();
  await page.locator('#reg-next').click();
  await Promise.all([page.waitForURL(/\/workbench$/), page.locator('#reg-submit').click()]);
  assert.match(await page.locator('#application-state').innerText(), /待审核/);

  // The business licence, uploaded while the application waits.
  await page.goto(`${BASE}/workbench/application`);
  await ready(page);
  await page.locator('#q-number').fill(good);
  await page.locator('#q-issuer').fill('上海市徐汇区市场监督管理局');
  await page.locator('#q-valid').fill('2031-06-30');
  await page.locator('#q-file').setInputFiles({ name: 'licence.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') });
  await page.locator('#q-upload').click();
  await page.locator('#qualifications tbody tr', { hasText: good }).waitFor();

  await context.clearCookies();
  await signIn(page, 'demo-operator');
  await Promise.all([page.waitForURL(/\/console\/suppliers\/\d+$/), page.getByRole('link', { name }).click()]);
  await ready(page);
  assert.match(await page.locator('#application').innerText(), new RegExp(good));
  assert.match(await page.locator('#qualifications').innerText(), /营业执照[\s\S]*未审核/);
  await Promise.all([page.waitForEvent('load'), page.locator('#qualifications').getByRole('button', { name: '核验通过' }).click()]);
  await ready(page);
  assert.match(await page.locator('#qualifications').innerText(), /已核验/);
  await page.locator('#decide-admit').click();
  await page.locator('#review-state', { hasText: '已准入' }).waitFor();
  assert.deepEqual(errors, []);
});

/** The session's CSRF token, for API calls made with the page's cookies. */
async function csrf() {
  return (await context.cookies()).find((c) => c.name === 'emall_csrf')?.value ?? '';
}

test('a product the catalogue lacks is proposed, approved by the operator, found and listed', async () => {
  await context.clearCookies();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await signIn(page, 'e2e-stationery', 'Stationery2026');
  await page.goto(`${BASE}/workbench/listings`);
  await ready(page);
  await page.locator('#find-product').fill('晨光 E2E-笔记本-001');
  await page.locator('#find-button').click();
  await page.locator('#no-product').waitFor();

  await page.locator('#proposal-category_code').selectOption({ index: 1 });
  await page.locator('#submit-proposal').click();
  await page.locator('.proposal-form .field-error').first().waitFor();
  assert.ok(await page.locator('.proposal-form .field-error').count() >= 5, 'every missing field is named');
  await page.locator('#proposal-brand').fill('晨光');
  await page.locator('#proposal-model').fill('E2E-笔记本-001');
  await page.locator('#proposal-title').fill('晨光 A5 无线装订笔记本 80页');
  await page.locator('#proposal-unit').fill('本');
  await page.locator('#proposal-reference_price').fill('6.50');
  await page.locator('#proposal-reference_source').fill('品牌官网报价');
  await Promise.all([page.waitForEvent('load'), page.locator('#submit-proposal').click()]);
  await ready(page);
  assert.match(await page.locator('#my-proposals').innerText(), /E2E-笔记本-001[\s\S]*待审核/);

  await context.clearCookies();
  await signIn(page, 'demo-operator');
  await page.goto(`${BASE}/console/listings`);
  await ready(page);
  const row = page.locator('#proposal-queue tr', { hasText: 'E2E-笔记本-001' });
  await Promise.all([page.waitForEvent('load'), row.getByRole('button', { name: '通过' }).click()]);
  await ready(page);
  assert.equal(await page.locator('#proposal-queue tr', { hasText: 'E2E-笔记本-001' }).count(), 0, 'decided');

  await context.clearCookies();
  await signIn(page, 'e2e-stationery', 'Stationery2026');
  await page.goto(`${BASE}/workbench/listings`);
  await ready(page);
  assert.match(await page.locator('#my-proposals').innerText(), /已通过/);
  await page.locator('#find-product').fill('晨光 E2E-笔记本');
  await page.locator('#find-button').click();
  await page.locator('.add-offer .product-picks li', { hasText: 'E2E-笔记本-001' }).getByRole('link', { name: '选择' }).click();
  await page.locator('#new-price').fill('5.80');
  await page.locator('#create-offer').click();
  await page.locator('.add-offer .alert.success', { hasText: '已上架' }).waitFor();
  assert.deepEqual(errors, []);
});

test('the admitted supplier imports 1,000 listings from a CSV, fixes the bad rows, and sells at once', async () => {
  await context.clearCookies();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await signIn(page, 'e2e-stationery', 'Stationery2026');
  await Promise.all([page.waitForURL(/\/workbench\/listings$/), page.locator('#listings-link').click()]);
  await ready(page);
  const before = Number((await page.locator('#listings-heading').innerText()).match(/(\d+) 条报价/)[1]);

  // Products of the catalogue in Shanghai, from the public search API.
  const hits = [];
  for (const p of [1, 2]) {
    const r = await page.request.get(`${BASE}/api/v1/search?city=310100&page=${p}`);
    hits.push(...(await r.json()).hits.filter((h) => !h.title.includes('无线装订笔记本')));
  }
  assert.ok(hits.length >= 20, `${hits.length} products`);
  // Setup: the demo catalogue has a few hundred products, so the rest of the thousand are
  // proposed through the API and approved by the operator, as the previous test did by hand.
  const category = await page.locator('#proposal-category_code option').nth(1).getAttribute('value');
  const missing = 1000 - hits.length;
  const proposals = [];
  let token = await csrf();
  for (let i = 0; i < missing; i += 25) {
    const batch = [];
    for (let j = i; j < Math.min(i + 25, missing); j++) {
      const data = { category_code: category, brand: '晨光', model: `E2E-BULK-${String(j).padStart(4, '0')}`,
        title: `晨光 批量测试商品 ${j}`, unit: '个', reference_price: '12.00', reference_source: '品牌官网报价' };
      batch.push(page.request.post(`${BASE}/api/v1/product-proposals`, { data, headers: { 'x-csrf-token': token } })
        .then(async (r) => { assert.equal(r.status(), 201, await r.text()); return (await r.json()).proposal_id; }));
    }
    proposals.push(...(await Promise.all(batch)));
  }
  await context.clearCookies();
  await signIn(page, 'demo-operator');
  token = await csrf();
  const products = [];
  for (let i = 0; i < proposals.length; i += 25) {
    products.push(...(await Promise.all(proposals.slice(i, i + 25).map((id) =>
      page.request.post(`${BASE}/api/v1/product-proposals/${id}/decision`, { data: { decision: 'approve' }, headers: { 'x-csrf-token': token } })
        .then(async (r) => { assert.equal(r.status(), 200, await r.text()); return (await r.json()).product_id; })))));
  }
  await context.clearCookies();
  await signIn(page, 'e2e-stationery', 'Stationery2026');
  await page.goto(`${BASE}/workbench/listings`);
  await ready(page);

  const yuan = (fen) => (fen / 100).toFixed(2);
  const rows = [
    ...hits.map((h, i) => `${h.product_id},${yuan(i === 0 ? h.reference_price + Math.max(1, Math.round(h.reference_price / 10)) : h.reference_price)},80,2,上海市`),
    ...products.map((id) => `${id},11.50,200,3,上海市`),
  ];
  assert.equal(rows.length, 1000);
  const header = '商品编号,单价（元）,库存,送达天数,供货城市';
  const bad = [header, ...rows, `${hits[1].product_id},十二元,5,2,上海市`, '99999999,9.90,5,2,上海市'].join('\n');
  await page.locator('#import-file').setInputFiles({ name: 'offers.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
  await page.locator('#import-preview').click();
  await page.locator('#import-errors').waitFor();
  assert.equal(await page.locator('#import-errors tr').count(), 2, 'the bad price and the unknown product');
  assert.match(await page.locator('#import-errors').innerText(), /第 1002 行[\s\S]*第 1003 行/);
  assert.ok(await page.locator('#import-apply').isHidden(), 'nothing to apply while rows are wrong');

  const fixed = [header, ...rows].join('\n');
  await page.locator('#import-file').setInputFiles({ name: 'offers.csv', mimeType: 'text/csv', buffer: Buffer.from(fixed) });
  await page.locator('#import-preview').click();
  await page.locator('#import-report', { hasText: '共 1000 行' }).waitFor();
  assert.match(await page.locator('#import-report').innerText(), /新增 1000/);
  await Promise.all([page.waitForEvent('load'), page.locator('#import-apply').click()]);
  await ready(page);
  assert.match(await page.locator('#listings-heading').innerText(), new RegExp(`${before + 1000} 条报价`));

  // On sale and in the comparison within a second; the price above the reference waits.
  const started = Date.now();
  let listed = false;
  while (Date.now() - started < 1000 && !listed) {
    const offers = await (await page.request.get(`${BASE}/api/v1/products/${hits[1].product_id}/offers?city=310100`)).json();
    listed = offers.some((o) => o.supplier_name === '上海浏览器测试文具有限公司');
    if (!listed) await page.waitForTimeout(100);
  }
  assert.ok(listed, 'the new offer is in the comparison within a second');
  const query = encodeURIComponent(`晨光 E2E-BULK-${String(missing - 1).padStart(4, '0')}`);
  let searched = false;
  while (Date.now() - started < 1000 && !searched) {
    const found = await (await page.request.get(`${BASE}/api/v1/search?city=310100&q=${query}`)).json();
    searched = found.hits.some((h) => h.product_id === products.at(-1));
    if (!searched) await page.waitForTimeout(100);
  }
  assert.ok(searched, 'a new product sold by nobody before is in search within a second');
  assert.match(await page.locator('#listing-reviews').innerText(), new RegExp(hits[0].title.slice(0, 6)));

  await context.clearCookies();
  await signIn(page, 'demo-operator');
  await page.goto(`${BASE}/console/listings`);
  assert.match(await page.locator('#listing-reviews').innerText(), /上海浏览器测试文具有限公司/);
  assert.match(await page.locator('#listing-reviews').innerText(), /高于参考价/);
  assert.deepEqual(errors, []);
});

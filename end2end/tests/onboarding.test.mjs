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
  assert.match(await page.locator('#qualifications').innerText(), /营业执照/);
  await page.locator('#decide-admit').click();
  await page.locator('#review-state', { hasText: '已准入' }).waitFor();
  assert.deepEqual(errors, []);
});

test('the admitted supplier imports listings from a CSV, fixes the bad rows, and sells at once', async () => {
  await context.clearCookies();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await signIn(page, 'e2e-stationery', 'Stationery2026');
  await Promise.all([page.waitForURL(/\/workbench\/listings$/), page.locator('#listings-link').click()]);
  await ready(page);

  // Products of the catalogue in Shanghai, from the public search API.
  const hits = [];
  for (const p of [1, 2]) {
    const r = await page.request.get(`${BASE}/api/v1/search?city=310100&page=${p}`);
    hits.push(...(await r.json()).hits);
  }
  assert.ok(hits.length >= 20, `${hits.length} products`);
  const yuan = (fen) => (fen / 100).toFixed(2);
  const rows = hits.map((h, i) => `${h.product_id},${yuan(i === 0 ? h.reference_price + Math.max(1, Math.round(h.reference_price / 10)) : h.reference_price)},80,2,上海市`);
  const header = '商品编号,单价（元）,库存,送达天数,供货城市';
  const bad = [header, ...rows, `${hits[1].product_id},十二元,5,2,上海市`, '99999999,9.90,5,2,上海市'].join('\n');
  await page.locator('#import-file').setInputFiles({ name: 'offers.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
  await page.locator('#import-preview').click();
  await page.locator('#import-errors').waitFor();
  assert.equal(await page.locator('#import-errors tr').count(), 2, 'the bad price and the unknown product');
  assert.ok(await page.locator('#import-apply').isHidden(), 'nothing to apply while rows are wrong');

  const fixed = [header, ...rows].join('\n');
  await page.locator('#import-file').setInputFiles({ name: 'offers.csv', mimeType: 'text/csv', buffer: Buffer.from(fixed) });
  await page.locator('#import-preview').click();
  await page.locator('#import-report', { hasText: `新增 ${hits.length}` }).waitFor();
  await Promise.all([page.waitForEvent('load'), page.locator('#import-apply').click()]);
  await ready(page);
  assert.match(await page.locator('#listings-heading').innerText(), new RegExp(`${hits.length} 条报价`));

  // On sale and in the comparison within a second; the price above the reference waits.
  const started = Date.now();
  let listed = false;
  while (Date.now() - started < 1000 && !listed) {
    const offers = await (await page.request.get(`${BASE}/api/v1/products/${hits[1].product_id}/offers?city=310100`)).json();
    listed = offers.some((o) => o.supplier_name === '上海浏览器测试文具有限公司');
    if (!listed) await page.waitForTimeout(100);
  }
  assert.ok(listed, 'the new offer is in the comparison within a second');
  assert.match(await page.locator('#listing-reviews').innerText(), new RegExp(hits[0].title.slice(0, 6)));

  await context.clearCookies();
  await signIn(page, 'demo-operator');
  await page.goto(`${BASE}/console/listings`);
  assert.match(await page.locator('#listing-reviews').innerText(), /上海浏览器测试文具有限公司/);
  assert.match(await page.locator('#listing-reviews').innerText(), /高于参考价/);
  assert.deepEqual(errors, []);
});

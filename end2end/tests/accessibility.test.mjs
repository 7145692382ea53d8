import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';
import { launch, signIn, BASE } from '../lib/browser.mjs';

// axe-core on the pages each role works in, signed in and out: no serious or critical
// violation of WCAG 2.1 A and AA.
let context;
before(async () => { context = await launch(); });
after(async () => { await context?.close(); });

const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** The serious and critical violations on the page at `path`, in words. */
async function violations(page, path) {
  const response = await page.goto(`${BASE}${path}`);
  assert.ok(response.ok(), `${path}: ${response.status()}`);
  await page.waitForLoadState('networkidle');
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${path}: ${v.id} (${v.impact}) ${v.help}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

/** The first link on `path` whose address matches `pattern`. */
async function firstLink(page, path, pattern) {
  await page.goto(`${BASE}${path}`);
  const hrefs = await page.locator('main a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  const href = hrefs.find((h) => pattern.test(h));
  assert.ok(href, `a link like ${pattern} on ${path}`);
  return href;
}

test('every role\'s pages have no serious or critical accessibility violation', async () => {
  const page = await context.newPage();
  const found = [];
  const checked = [];
  const check = async (path) => { checked.push(path); found.push(...await violations(page, path)); };

  await context.clearCookies();
  const product = await firstLink(page, '/search?q=%E5%A4%8D%E5%8D%B0%E7%BA%B8&city=310100', /^\/product\/\d+/);
  await page.goto(`${BASE}${product}`);
  const supplier = (await page.locator('table tbody tr[data-offer] td a').first().getAttribute('href')).split('?')[0];
  const pool = await firstLink(page, '/pools', /^\/pools\/\d+/);
  for (const path of ['/', '/search?q=%E5%A4%8D%E5%8D%B0%E7%BA%B8&city=310100', product, `${supplier}?city=310100`,
    `${supplier}/performance`, '/pools', pool, '/disclosure', '/login', '/supplier/register', '/en',
    '/en/search?q=paper&city=310100']) {
    await check(path);
  }

  await context.clearCookies();
  await signIn(page, 'demo-buyer');
  const order = await firstLink(page, '/orders', /^\/orders\/\d+$/);
  for (const path of ['/buyer', '/buyer/cart', '/orders', order, `${order}/contract`, '/account/sessions', `${pool}/part`]) await check(path);

  await context.clearCookies();
  await signIn(page, 'demo-supplier');
  for (const path of ['/workbench', '/workbench/listings', '/orders']) await check(path);

  await context.clearCookies();
  await signIn(page, 'demo-operator');
  for (const path of ['/console', '/console/listings', '/console/pools', '/console/audit', '/console/calendar']) await check(path);

  await context.clearCookies();
  await signIn(page, 'demo-regulator');
  const alert = await firstLink(page, '/console/alerts', /^\/console\/alerts\/\d+/);
  for (const path of ['/console', '/console/alerts', alert]) await check(path);

  assert.ok(checked.length >= 20, `${checked.length} pages checked`);
  assert.deepEqual(found, [], found.join('\n'));
});

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, signIn, BASE } from '../lib/browser.mjs';

let context;
before(async () => { context = await launch(); });
after(async () => { await context?.close(); });

const accounts = [
  { username: 'demo-buyer', home: '/buyer', heading: '采购人工作台', role: '采购经办人' },
  { username: 'demo-approver', home: '/buyer', heading: '采购人工作台', role: '采购审批人' },
  { username: 'demo-supplier', home: '/workbench', heading: '供应商工作台', role: '供应商' },
  { username: 'demo-operator', home: '/console', heading: '卖场运营控制台', role: '卖场运营' },
  { username: 'demo-regulator', home: '/console', heading: '财政监管控制台', role: '财政监管' },
];

for (const account of accounts) {
  test(`${account.username} signs in, sees the home, and signs out`, async () => {
    await context.clearCookies();
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await signIn(page, account.username);
    assert.equal(new URL(page.url()).pathname, account.home);
    assert.ok(await page.getByRole('heading', { level: 1, name: account.heading }).isVisible());
    // The account island hydrates and asks the API who is signed in.
    const who = page.locator('.account .who-org');
    await who.waitFor({ timeout: 15000 });
    assert.match(await who.innerText(), new RegExp(account.role));
    await Promise.all([
      page.waitForURL(`${BASE}/`, { waitUntil: 'domcontentloaded' }),
      page.getByRole('button', { name: '退出' }).click(),
    ]);
    await page.getByRole('link', { name: '登录' }).waitFor();
    const me = await page.request.get(`${BASE}/api/v1/auth/me`);
    assert.equal(me.status(), 401, 'signed out on the server');
    assert.deepEqual(errors, [], 'no script errors');
    await page.close();
  });
}

test('a wrong password is explained on the form', async () => {
  await context.clearCookies();
  const page = await context.newPage();
  await page.goto(`${BASE}/login`);
  await page.getByLabel('用户名', { exact: true }).fill('demo-buyer');
  await page.getByLabel('密码', { exact: true }).fill('wrong-password');
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('alert').waitFor();
  assert.match(await page.getByRole('alert').innerText(), /用户名或密码错误/);
  assert.equal(await page.getByLabel('用户名', { exact: true }).inputValue(), 'demo-buyer');
});

test('a visitor sent to sign in comes back to the page they asked for', async () => {
  await context.clearCookies();
  const page = await context.newPage();
  await page.goto(`${BASE}/console`);
  assert.match(page.url(), /\/login\?next=%2Fconsole|\/login\?next=\/console/);
  await page.getByLabel('用户名', { exact: true }).fill('demo-regulator');
  await page.getByLabel('密码', { exact: true }).fill('Demo@2026');
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL(`${BASE}/console`);
});

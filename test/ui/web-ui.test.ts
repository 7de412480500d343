import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { operatorViews, registrationWorkflowId, workflowListUrl } from '../../src/shared';
import { type RunningStack, sampleRequest, startStack } from './stack';

/**
 * What an operator sees in the Web UI of `npm start`'s stack while one registration waits for a
 * correction and one for the customer's OTP: the views docs/operations.md points to tell them
 * apart, the workflow page says why and what next, and payloads read as JSON through the codec
 * server. Screenshots go to docs/screenshots/ (docs/operations.md shows them).
 */

const shots = resolve(__dirname, '../../docs/screenshots');

/** The workflow page's "User Metadata" tab: Summary, Details and Current Details. */
async function openUserMetadata(page: Page): Promise<void> {
  await page.locator('#user-metadata-tab').click();
  await page.waitForURL(/\/user-metadata/);
  await page.getByText('Current Details').first().waitFor();
}

/**
 * Waits for `text` in the tab's Summary, Details or Current Details: the Web UI renders each as
 * Markdown inside its own iframe, out of reach of a page-wide search.
 */
async function metadataText(page: Page, text: string | RegExp): Promise<void> {
  const frames = page.locator('iframe');
  await Promise.any([0, 1, 2].map((i) => frames.nth(i).contentFrame().getByText(text).first().waitFor()));
}
const chromiumPath = execFileSync('bash', [resolve(__dirname, '../../scripts/ensure-chromium'), '--quiet'], {
  encoding: 'utf8',
}).trim();

describe('the Web UI shows who is stuck, why, and what to do', () => {
  let stack: RunningStack;
  let browser: Browser;
  let page: Page;
  const run = Date.now().toString(36);
  const stuck = `ui-stuck-${run}`;
  const otp = `ui-otp-${run}`;
  const stuckId = registrationWorkflowId(stuck);
  const otpId = registrationWorkflowId(otp);
  const views = operatorViews(new Date());
  const url = (path: string) => `${stack.uiUrl}/namespaces/${stack.namespace}${path}`;

  beforeAll(async () => {
    stack = await startStack();
    const numbers = (await stack.registrar.listRegistrations()).length; // the namespace is fresh
    expect(numbers).toBe(0);
    await stack.registrar.startRegistration(
      sampleRequest(stuck, 'PN00000000000000000000000000000001', `jane.${run}@mailinator.com`),
    );
    await stack.registrar.startRegistration(sampleRequest(otp, 'PN00000000000000000000000000000002'));
    await stack.until(stuck, (p) => p.phase === 'needs-correction', 'the correction wait');
    await stack.until(otp, (p) => p.waitingFor?.what === 'the customer to answer the OTP', 'the OTP wait');
    browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    page = await context.newPage();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  test('the "needs correction" view lists the stuck registration and not the one waiting for its OTP', async () => {
    await page.goto(workflowListUrl(stack.uiUrl, stack.namespace, views[0]));
    await page.getByRole('link', { name: stuckId }).first().waitFor();
    expect(await page.getByText(otpId).count()).toBe(0);
    await page.screenshot({ path: `${shots}/view-needs-correction.png` });

    await page.goto(workflowListUrl(stack.uiUrl, stack.namespace, views[1]));
    await page.getByRole('link', { name: otpId }).first().waitFor();
    expect(await page.getByText(stuckId).count()).toBe(0);
    await page.screenshot({ path: `${shots}/view-waiting-for-otp.png` });
  });

  test('a view link with savedQuery is kept under Saved Views', async () => {
    await page.goto(workflowListUrl(stack.uiUrl, stack.namespace, views[0], true));
    await page.getByRole('link', { name: stuckId }).first().waitFor();
    await page.getByText(views[0].name).first().waitFor();
  });

  test('with the A2pPhase column (the two-click recipe) the default list tells the two apart', async () => {
    // docs/operations.md's recipe, as an operator clicks it: Configure Columns, then + A2pPhase.
    await page.goto(url('/workflows'));
    await page.getByRole('button', { name: 'Configure Columns' }).click();
    await page.getByRole('button', { name: 'Add A2pPhase column' }).click();
    // Room for it on a laptop screen: run id, type and end say nothing an operator needs here.
    for (const column of ['Run ID', 'Type', 'End'])
      await page.getByRole('button', { name: `Remove ${column} column` }).click();
    await page.getByRole('button', { name: /^Close .* configuration$/ }).click();
    await page.getByText('Configure Workflows Table').waitFor({ state: 'hidden' });
    await page.getByRole('columnheader', { name: 'A2pPhase' }).waitFor();
    const stuckRow = page.getByRole('row').filter({ hasText: stuckId });
    const otpRow = page.getByRole('row').filter({ hasText: otpId });
    await stuckRow.getByText('needs-correction').waitFor();
    await otpRow.getByText('brand-verification').waitFor();
    await page.screenshot({ path: `${shots}/list-with-phase-column.png` });
  });

  test("the workflow page's Current Details carry the reason and the command; Details name the customer and fees", async () => {
    await page.goto(url(`/workflows/${encodeURIComponent(stuckId)}`));
    // The input went through the codec server: it reads as JSON, not as an encrypted blob.
    await page.getByText(`"customerId": "${stuck}"`).first().waitFor();
    expect(await page.getByText('binary/encrypted').count()).toBe(0);
    await openUserMetadata(page);
    await metadataText(page, /Email is a suspected disposable address/);
    await metadataText(page, `run a2p correct ${stuck} fix.json`);
    await metadataText(page, `Customer id: ${stuck}`);
    await metadataText(page, 'campaign vetting $15 per campaign submission');
    await page.screenshot({ path: `${shots}/workflow-needs-correction.png` });

    await page.goto(url(`/workflows/${encodeURIComponent(otpId)}`));
    await openUserMetadata(page);
    await metadataText(page, /waiting for the customer to answer the OTP/);
    await metadataText(page, `a2p sandbox otp ${otp}`);
    await page.screenshot({ path: `${shots}/workflow-waiting-for-otp.png` });
  });

  test('the progress query reads as JSON through the codec server', async () => {
    const { runId } = await stack.client.workflow.getHandle(stuckId).describe();
    await page.goto(url(`/workflows/${encodeURIComponent(stuckId)}/${runId}/query`));
    await page.getByTestId('query-select').waitFor();
    await page.getByRole('button', { name: /Run Query|Refresh Query/ }).click();
    await page
      .getByText(/"phase": "needs-correction"/)
      .first()
      .waitFor();
    await page
      .getByText(/Email is a suspected disposable address/)
      .filter({ visible: true })
      .first()
      .waitFor();
    expect(await page.getByText('binary/encrypted').count()).toBe(0);
    await page.screenshot({ path: `${shots}/query-progress.png`, fullPage: true });
  });
});

import { expect, test, type Browser, type Page } from '@playwright/test';
import { packExamples, type ExampleArchives } from '../backend/test/plugins/example-archives.ts';
import { expectAccessible } from './support/accessibility.ts';
import { saveScreenshot } from './support/screenshots.ts';
import { startServer, type RunningServer } from './support/server.ts';
import {
  createUser,
  installViaApi,
  signIn,
  uninstallViaApi,
  type Account,
} from './support/plugins.ts';

// The example plugins of examples/plugins, packed by the kit, in a real server and browser: what
// an admin who installs them and their team see.

const admin = { username: 'ada', password: 'ada-password-1' };
const editor = { username: 'edith', password: 'edith-password-1' };
const viewer = { username: 'vera', password: 'vera-password-1' };

let server: RunningServer;
let archives: ExampleArchives;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  [server, archives] = await Promise.all([
    startServer({
      POLYPHONY_ADMIN_USERNAME: admin.username,
      POLYPHONY_ADMIN_PASSWORD: admin.password,
    }),
    packExamples(),
  ]);
});

test.afterAll(async () => {
  await server.stop();
});

const topBarLink = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });

async function personIn(browser: Browser, who: Account): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await signIn(page, server.url, who);
  return page;
}

test('hello: the page shows the greeting from its API', async ({ browser }) => {
  const ada = await personIn(browser, admin);
  await installViaApi(ada, server.url, archives.hello);
  await ada.goto(`${server.url}/plugins/hello`);
  await expect(ada.getByRole('heading', { name: 'Hello', level: 1 })).toBeVisible();
  await expect(ada.getByTestId('hello-greeting')).toHaveText('Hello, ada!');
  await expect(topBarLink(ada, 'Hello')).toBeVisible();
  await uninstallViaApi(ada, server.url, 'hello');
});

test('team-polls: an editor asks, a viewer votes and comments, the admin manages', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const question = 'Where do we eat on Friday?';
  const ada = await personIn(browser, admin);
  await createUser(ada, server.url, editor, ['editor']);
  await createUser(ada, server.url, viewer, ['viewer']);
  await installViaApi(ada, server.url, archives.teamPolls110);

  // The editor asks, through the form: the client-side check marks the field first.
  const edith = await personIn(browser, editor);
  await expect(topBarLink(edith, 'Manage polls')).toHaveCount(0);
  await topBarLink(edith, 'New poll').click();
  await expect(edith.getByRole('heading', { name: 'New poll', level: 1 })).toBeVisible();
  const questionField = edith.getByLabel('Question');
  await questionField.fill('Eat?');
  await edith.getByLabel('Option 1').fill('Pizza');
  await edith.getByLabel('Option 2').fill('pizza');
  await edith.getByRole('button', { name: 'Create poll' }).click();
  await expect(questionField).toHaveAttribute('aria-invalid', 'true');
  await expect(questionField).toBeFocused();
  await expect(questionField).toHaveAccessibleDescription(
    /^Write a question of 5 to 200 characters\./,
  );
  await expect(edith.getByLabel('Option 2')).toHaveAccessibleDescription(
    'This option is already in the list.',
  );
  await saveScreenshot(edith, 'example-team-polls-form');
  await expectAccessible(edith, 'the team-polls form with errors');
  await questionField.fill(question);
  await edith.getByLabel('Option 2').fill('Sushi');
  await edith.getByRole('button', { name: 'Add option' }).click();
  await edith.getByLabel('Option 3').fill('Tacos');
  await edith.getByRole('button', { name: 'Create poll' }).click();
  await expect(edith).toHaveURL(/\/plugins\/team-polls\/polls\/[0-9a-f-]{36}$/);
  await expect(edith.getByRole('heading', { name: question, level: 1 })).toBeVisible();

  // The viewer votes and then sees the results (resultsVisibility: after-vote).
  const vera = await personIn(browser, viewer);
  await expect(topBarLink(vera, 'New poll')).toHaveCount(0);
  await topBarLink(vera, 'Polls').click();
  const card = vera.getByRole('article', { name: question });
  await expect(card).toContainText('Results are shown once you vote.');
  await card.getByLabel('Tacos').check();
  await card.getByRole('button', { name: 'Vote', exact: true }).click();
  const results = card.getByTestId('poll-results');
  await expect(results).toContainText('Tacos (your vote)');
  await expect(results).toContainText('1 vote · 100%');
  await saveScreenshot(vera, 'example-team-polls');
  await expectAccessible(vera, 'the team-polls list');
  // Comments (1.1.0) on the poll's own page.
  await card.getByRole('link', { name: question }).click();
  await vera.getByLabel('Your comment').fill('Tacos, obviously.');
  await vera.getByRole('button', { name: 'Post comment' }).click();
  await expect(vera.getByRole('list', { name: 'Comments' })).toContainText('Tacos, obviously.');
  await saveScreenshot(vera, 'example-team-polls-poll');

  // The admin manages: who voted what, close, delete.
  await ada.goto(`${server.url}/plugins/team-polls/manage`);
  await expect(ada.getByRole('heading', { name: 'Manage polls', level: 1 })).toBeVisible();
  const managed = ada.getByRole('article', { name: question });
  await managed.getByRole('button', { name: /^Show votes/ }).click();
  await expect(managed.getByRole('row', { name: /vera Tacos/ })).toBeVisible();
  await managed.getByRole('button', { name: /^Close/ }).click();
  await expect(managed.getByRole('button', { name: /^Reopen/ })).toBeVisible();
  await expect(managed).toContainText('Closed');
  await saveScreenshot(ada, 'example-team-polls-manage');
  await expectAccessible(ada, 'the team-polls manage page');
  // The viewer finds it among the closed polls, without a vote form.
  await topBarLink(vera, 'Polls').click();
  await expect(vera.getByText('No open polls right now.')).toBeVisible();
  const closed = vera.getByRole('article', { name: question });
  await expect(closed.getByRole('button', { name: 'Change vote' })).toHaveCount(0);
  await expect(closed.getByTestId('poll-my-vote')).toHaveText('You voted for Tacos.');

  await managed.getByRole('button', { name: /^Delete…/ }).click();
  await managed.getByRole('button', { name: 'Delete poll' }).click();
  await expect(ada.getByText('No polls yet.')).toBeVisible();
  await uninstallViaApi(ada, server.url, 'team-polls');
});

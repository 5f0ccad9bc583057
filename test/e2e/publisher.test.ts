// Publishing through a pull request (REPORTS_VIA_PULL_REQUEST=true): the Octokit adapter against
// the fake GitHub. A second publish updates the branch's file and reuses the open pull request.
import { pino } from "pino";
import { createGitHubClient } from "../../src/github/client.js";
import { GitHubReportPublisher } from "../../src/github/reportPublisher.js";
import { FakeGitHub } from "../support/fakeGitHub.js";

let github: FakeGitHub;
beforeAll(async () => {
  github = await FakeGitHub.start();
});
afterAll(() => github.close());

/** The bot's client, with TestBot's short retry base and write spacing (not Octokit's 1-3 s between writes: see client.ts). */
const client = () =>
  createGitHubClient({ token: "ghp_test", baseUrl: github.url, logger: pino({ level: "silent" }), retryBaseMs: 20, writeSpacingMs: 5 });

it("opens one pull request per report and updates its file on a second publish", async () => {
  const octokit = client();
  const publisher = new GitHubReportPublisher(octokit, { owner: "acme", repo: "incident-reports" }, true);
  const file = {
    path: "reports/2025-08-12-leap-hub-outage.md",
    content: "# Incident #7\n\nfirst",
    message: "Post-incident report: incident #7",
  };

  const first = await publisher.publish(file);
  const second = await publisher.publish({ ...file, content: "# Incident #7\n\nsecond" });

  expect(first.url).toMatch(/^https:\/\/github\.com\/acme\/incident-reports\/pull\/\d+$/);
  expect(second.url).toBe(first.url);
  expect(github.pulls).toHaveLength(1);
  expect(github.pulls[0]).toMatchObject({ head: "incident-report/2025-08-12-leap-hub-outage", base: "main" });
  expect(
    github.files.get("acme/incident-reports:incident-report/2025-08-12-leap-hub-outage:reports/2025-08-12-leap-hub-outage.md")?.content,
  ).toBe("# Incident #7\n\nsecond");
  expect([...github.files.keys()].some((k) => k === "acme/incident-reports:reports/2025-08-12-leap-hub-outage.md")).toBe(false); // main untouched
});

it("makes the report body safe and leaves its YAML front matter as written; the PR title closes nothing", async () => {
  const octokit = client();
  const publisher = new GitHubReportPublisher(octokit, { owner: "acme", repo: "incident-reports" }, true);
  const frontMatter = '---\ntitle: "Deploy by @alice broke <b>checkout</b>"\ncommander: "@bob"\n---\n';
  await publisher.publish({
    path: "reports/2025-08-13-incident-8-deploy.md",
    content: `${frontMatter}# Incident #8\n\nPaged @bob.\n\n<!-- draft`,
    message: "Post-incident report: incident #8, fixes #7",
  });
  const stored = github.files.get(
    "acme/incident-reports:incident-report/2025-08-13-incident-8-deploy:reports/2025-08-13-incident-8-deploy.md",
  )!.content;
  expect(stored).toBe(`${frontMatter}# Incident #8\n\nPaged @&#8203;bob.\n\n&lt;!-- draft`);
  expect(github.pulls.at(-1)!.title).toBe("Post-incident report: incident #\u200B8, fixes #\u200B7");
});

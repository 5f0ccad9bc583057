// The bot's GitHub client against the fake GitHub: a request's retries are its own. Octokit's retry
// and throttling plugins count them in the request's options, which were the client's defaults,
// shared by every request: one request's retries then stayed on the next, whose first retry waited
// (count + 1)² times the base (src/github/client.ts).
import { pino } from "pino";
import { createGitHubClient } from "../../src/github/client.js";
import { FakeGitHub } from "../support/fakeGitHub.js";

let github: FakeGitHub;
beforeAll(async () => {
  github = await FakeGitHub.start();
});
afterAll(() => github.close());

const client = () => createGitHubClient({ token: "ghp_test", baseUrl: github.url, logger: pino({ level: "silent" }), retryBaseMs: 5 });
const repository = { owner: "acme", repo: "incident-reports" };

it("retries a failing request, and leaves no retry count behind for the next one", async () => {
  const octokit = client();
  github.failNext(/^GET \/repos\/acme\/incident-reports$/, { status: 500 }, 2);
  const { data } = await octokit.rest.repos.get(repository);
  expect(data.full_name).toBe("acme/incident-reports");
  // The client's defaults carry no count: the next request starts from none.
  expect((octokit.request.endpoint.DEFAULTS.request as { retryCount?: number }).retryCount).toBeUndefined();

  github.failNext(/^GET \/repos\/acme\/incident-reports$/, { status: 500 });
  let retryCountSeen: number | undefined;
  octokit.hook.error("request", (error, options) => {
    retryCountSeen = options.request.retryCount as number | undefined;
    throw error;
  });
  expect((await octokit.rest.repos.get(repository)).data.full_name).toBe("acme/incident-reports");
  // The second request's first failure was its first: no count carried over from the first request.
  expect(retryCountSeen ?? 0).toBe(0);
});

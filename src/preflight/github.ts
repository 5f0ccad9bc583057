// Checks of the GitHub configuration against GitHub: the token is accepted, each configured
// repository exists for it, and the token may do what the bot does there (create issues in
// GITHUB_REPOSITORY, write files in REPORTS_REPOSITORY; the same in PRIVATE_GITHUB_REPOSITORY and
// PRIVATE_REPORTS_REPOSITORY, which must also be private: private incidents' issues and reports
// go there).
//
// How to tell without writing anything: a classic token's scopes come in the x-oauth-scopes
// header of any answer (it needs `repo`, or `public_repo` for a public repository), and the
// repository's `permissions.push` says whether its owner may write. Fine-grained tokens (and
// GitHub Apps) send no scopes: for them the write itself is asked with a body GitHub must refuse
// (no title, no content). A token without the permission gets 403 "Resource not accessible"
// (with x-accepted-github-permissions naming it); a token with it gets 422 for the missing field.
// Either way nothing is created.
import { repositoryName, type Config, type RepositoryName } from "../config/index.js";
import { createGitHubClient, type GitHubClient } from "../github/client.js";
import type { Logger } from "../log.js";
import { failed, passed, type Check } from "./check.js";

const NEW_TOKEN =
  "create a token that can (fine-grained: Issues and Contents read and write on these repositories; " +
  "classic: the repo scope) and set GITHUB_TOKEN";

interface HttpError {
  status: number;
  message: string;
  response?: { headers: Record<string, string | undefined>; data?: { message?: string } };
}

const asHttpError = (error: unknown): HttpError | undefined =>
  typeof (error as HttpError)?.status === "number" ? (error as HttpError) : undefined;

type Need = (
  | { variable: "GITHUB_REPOSITORY" | "PRIVATE_GITHUB_REPOSITORY"; what: "create issues"; permission: "issues" }
  | { variable: "REPORTS_REPOSITORY" | "PRIVATE_REPORTS_REPOSITORY"; what: "write files"; permission: "contents" }
) & {
  /** Private incidents' repositories: in a public one anyone could read them. */
  mustBePrivate?: boolean;
};

/** Asks for the write with a body GitHub refuses (see above): true when permitted, false when not. */
async function mayWrite(client: GitHubClient, repo: RepositoryName, need: Need): Promise<{ allowed: boolean; detail?: string }> {
  try {
    if (need.permission === "issues")
      await client.request("POST /repos/{owner}/{repo}/issues", { ...repo, title: undefined as unknown as string });
    else
      await client.request("PUT /repos/{owner}/{repo}/contents/{path}", {
        ...repo,
        path: ".incident-bot-doctor",
        message: undefined as unknown as string,
        content: undefined as unknown as string,
      });
    // Nothing GitHub accepts without the field: reaching here means the fake or a proxy did not check.
    return { allowed: true };
  } catch (error) {
    const http = asHttpError(error);
    if (http?.status === 422) return { allowed: true };
    if (http?.status === 403 || http?.status === 404) {
      const accepted = http.response?.headers["x-accepted-github-permissions"];
      return { allowed: false, detail: `GitHub refused (${http.status}${accepted ? `; needs ${accepted}` : ""})` };
    }
    throw error;
  }
}

async function checkRepository(
  client: GitHubClient,
  repo: RepositoryName,
  need: Need,
): Promise<{ check: Check; tokenRefused?: Check; tokenKind?: string }> {
  const name = repositoryName(repo);
  const label = `${need.variable} ${name}`;
  let response;
  try {
    response = await client.request("GET /repos/{owner}/{repo}", { owner: repo.owner, repo: repo.repo });
  } catch (error) {
    const http = asHttpError(error);
    if (http?.status === 401)
      return {
        check: failed(label, "not checked: GITHUB_TOKEN was refused", NEW_TOKEN),
        tokenRefused: failed("GITHUB_TOKEN", "was refused by GitHub (401 Bad credentials)", NEW_TOKEN),
      };
    if (http?.status === 404) {
      return {
        check: failed(
          label,
          "not found, or the token cannot see it (404)",
          `check the owner/name in ${need.variable}; a fine-grained token must list the repository under Repository access`,
        ),
      };
    }
    if (http)
      return { check: failed(label, `GitHub answered ${http.status} (${http.response?.data?.message ?? http.message})`, NEW_TOKEN) };
    return {
      check: failed(
        label,
        `GitHub could not be reached (${(error as Error).message})`,
        "check the network path to GitHub, and GITHUB_API_URL if set",
      ),
    };
  }
  const scopesHeader = response.headers["x-oauth-scopes"];
  const data = response.data as { private?: boolean; permissions?: { push?: boolean } };
  if (need.mustBePrivate && data.private !== true) {
    return {
      check: failed(
        label,
        `is public: private incidents' ${need.permission === "issues" ? "issues" : "reports"} would be readable by anyone, ` +
          "so the bot will not write there",
        `make ${name} private (Settings -> Danger Zone -> Change visibility), or set ${need.variable} to a private repository`,
      ),
    };
  }
  if (scopesHeader !== undefined) {
    const scopes = String(scopesHeader)
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    const enough = scopes.includes("repo") || (!data.private && scopes.includes("public_repo"));
    if (!enough)
      return {
        tokenKind: "classic",
        check: failed(
          label,
          `the classic token lacks the repo scope (it has: ${scopes.join(", ") || "none"}), so it cannot ${need.what}`,
          NEW_TOKEN,
        ),
      };
    if (data.permissions?.push === false)
      return {
        tokenKind: "classic",
        check: failed(
          label,
          `the token's user may only read it, so the bot cannot ${need.what}`,
          `give the token's user write access to ${name}`,
        ),
      };
    return { tokenKind: "classic", check: passed(label, `exists${need.mustBePrivate ? ", private" : ""}; the token may ${need.what}`) };
  }
  const write = await mayWrite(client, repo, need);
  if (!write.allowed) {
    return {
      tokenKind: "fine-grained",
      check: failed(
        label,
        `the token may read it but not ${need.what}: ${write.detail}`,
        `give the token ${need.permission === "issues" ? "Issues" : "Contents"}: Read and write on ${name}`,
      ),
    };
  }
  return { tokenKind: "fine-grained", check: passed(label, `exists${need.mustBePrivate ? ", private" : ""}; the token may ${need.what}`) };
}

/** The GitHub lines: the token, then each configured repository. Nothing configured is one passing line. */
export async function checkGitHub(config: Pick<Config, "github">, logger: Logger): Promise<Check[]> {
  const { token, repository, reportsRepository, apiUrl } = config.github;
  if (!token)
    return [passed("GitHub", "not configured: action items stay in Slack (set GITHUB_TOKEN and GITHUB_REPOSITORY to open issues)")];
  // Refusals (401, 403, 404, 422) are answers, not retried; a 5xx is retried once.
  const client = createGitHubClient({ token, baseUrl: apiUrl, logger, retries: 1, retryBaseMs: 200 });
  const { privateRepository, privateReportsRepository } = config.github;
  const needs: [RepositoryName, Need][] = [];
  if (repository) needs.push([repository, { variable: "GITHUB_REPOSITORY", what: "create issues", permission: "issues" }]);
  if (reportsRepository) needs.push([reportsRepository, { variable: "REPORTS_REPOSITORY", what: "write files", permission: "contents" }]);
  if (privateRepository) {
    const need: Need = { variable: "PRIVATE_GITHUB_REPOSITORY", what: "create issues", permission: "issues", mustBePrivate: true };
    needs.push([privateRepository, need]);
  }
  if (privateReportsRepository) {
    const need: Need = { variable: "PRIVATE_REPORTS_REPOSITORY", what: "write files", permission: "contents", mustBePrivate: true };
    needs.push([privateReportsRepository, need]);
  }
  if (needs.length === 0) {
    return [passed("GITHUB_TOKEN", "set, but no GITHUB_REPOSITORY, REPORTS_REPOSITORY or their PRIVATE_ ones use it")];
  }
  const results = await Promise.all(needs.map(([repo, need]) => checkRepository(client, repo, need)));
  const refused = results.find((r) => r.tokenRefused)?.tokenRefused;
  const kind = results.find((r) => r.tokenKind)?.tokenKind;
  const tokenLine = refused ?? (kind ? passed("GITHUB_TOKEN", `accepted (${kind} token)`) : undefined);
  return [...(tokenLine ? [tokenLine] : []), ...results.map((r) => r.check)];
}

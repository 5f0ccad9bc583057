// Action items as GitHub issues. Each issue carries a hidden marker with the action item's id and
// a label per incident, so before creating one we can ask GitHub whether an earlier attempt
// (a crash after GitHub answered, before we saved) already made it. Listing by label reads the
// issues themselves, not the search index, so a just-created issue is found.
import type { RepositoryName } from "../config/index.js";
import type { IssueRead, IssueTracker } from "../incidents/ports/issueTracker.js";
import type { GitHubClient } from "./client.js";
import { actionItemIssueBody, actionItemIssueTitle } from "./actionItemIssue.js";
import type { PrivateRepositoryGuard } from "./privateRepository.js";
import { safeMarkdownForGitHub, safePlainTextForGitHub } from "./safeMarkdown.js";

export class GitHubIssueTracker implements IssueTracker {
  constructor(
    private readonly octokit: GitHubClient,
    private readonly repository: RepositoryName,
    /** The team's zone: the issue body shows the incident's times in it, named. */
    private readonly timeZone: string,
    /** PRIVATE_GITHUB_REPOSITORY's tracker: no issue is opened while the repository is public. */
    private readonly privateGuard?: PrivateRepositoryGuard,
  ) {}

  async findIssue({ labels, marker }: { labels: string[]; marker: string }) {
    const issues = await this.octokit.paginate(this.octokit.rest.issues.listForRepo, {
      ...this.repository,
      labels: labels.join(","),
      state: "all",
      per_page: 100,
    });
    const found = issues.find((issue) => !issue.pull_request && issue.body?.includes(marker));
    return found ? { number: found.number, url: found.html_url } : null;
  }

  async createIssue({ marker, labels, assignees, ...facts }: Parameters<IssueTracker["createIssue"]>[0]) {
    await this.privateGuard?.ensure();
    // Text typed in Slack must not mention, cross-reference or inject HTML here (safeMarkdown.ts);
    // the marker is ours and goes in as it is, or findIssue could not find it again.
    const safe = {
      title: safePlainTextForGitHub(actionItemIssueTitle(facts), { singleLine: true }),
      body: `${await safeMarkdownForGitHub(actionItemIssueBody(facts, this.timeZone))}\n\n${marker}`,
      labels,
      assignees,
    };
    // Not retried by Octokit: a POST that timed out or got a 5xx may still have created the issue,
    // and a blind retry would open a second one. Our caller looks for the marker before trying again.
    const { data } = await this.octokit.rest.issues.create({ ...this.repository, ...safe, request: { retries: 0 } });
    return { number: data.number, url: data.html_url };
  }

  async closeIssue(number: number, reason: "completed" | "not_planned"): Promise<void> {
    // A state, not an action: a retry (Octokit retries this one) lands in the same state.
    await this.octokit.rest.issues.update({ ...this.repository, issue_number: number, state: "closed", state_reason: reason });
  }

  async setAssignees(number: number, assignees: string[]): Promise<void> {
    // Replaces the list, so a retry (Octokit retries this one) lands in the same state.
    await this.octokit.rest.issues.update({ ...this.repository, issue_number: number, assignees });
  }

  async readIssue(number: number, etag: string | null): Promise<IssueRead> {
    // A conditional request: GitHub answers 304 (which Octokit throws) while the issue is as it
    // was at `etag`, and a 304 does not count against the rate limit.
    try {
      const { data, headers } = await this.octokit.rest.issues.get({
        ...this.repository,
        issue_number: number,
        headers: etag ? { "if-none-match": etag } : {},
      });
      return {
        kind: "read",
        state: data.state === "closed" ? "closed" : "open",
        etag: headers.etag ?? null,
        updatedAt: new Date(data.updated_at),
        closedAt: data.closed_at ? new Date(data.closed_at) : null,
      };
    } catch (error) {
      const status = statusOf(error);
      if (status === 304) return { kind: "unchanged" };
      // Deleted (410, or 404 once gone, as for an issue moved to a repository the token cannot read).
      if (status === 404 || status === 410) return { kind: "gone" };
      throw error;
    }
  }
}

/** Octokit's RequestError carries the HTTP status (its package is not one of ours to import). */
const statusOf = (error: unknown) => (typeof error === "object" && error !== null && "status" in error ? Number(error.status) : undefined);

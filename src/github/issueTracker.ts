// Action items as GitHub issues. Each issue carries a hidden marker with the action item's id and
// a label per incident, so before creating one we can ask GitHub whether an earlier attempt
// (a crash after GitHub answered, before we saved) already made it. Listing by label reads the
// issues themselves, not the search index, so a just-created issue is found.
import type { RepositoryName } from "../config/index.js";
import type { IssueTracker } from "../incidents/ports.js";
import type { GitHubClient } from "./client.js";
import { safeMarkdownForGitHub, safePlainTextForGitHub } from "./safeMarkdown.js";

export class GitHubIssueTracker implements IssueTracker {
  constructor(
    private readonly octokit: GitHubClient,
    private readonly repository: RepositoryName,
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

  async createIssue({ title, body, marker, labels, assignees }: { title: string; body: string; marker: string; labels: string[]; assignees: string[] }) {
    // Text typed in Slack must not mention, cross-reference or inject HTML here (safeMarkdown.ts);
    // the marker is ours and goes in as it is, or findIssue could not find it again.
    const safe = { title: safePlainTextForGitHub(title, { singleLine: true }), body: `${safeMarkdownForGitHub(body)}\n\n${marker}`, labels, assignees };
    // Not retried by Octokit: a POST that timed out or got a 5xx may still have created the issue,
    // and a blind retry would open a second one. Our caller looks for the marker before trying again.
    const { data } = await this.octokit.rest.issues.create({ ...this.repository, ...safe, request: { retries: 0 } });
    return { number: data.number, url: data.html_url };
  }
}

// Publishes an approved report as a Markdown file in the reports repository: a commit through the
// contents API (creating the file, or updating it with its current sha on a later publish), or a
// pull request from a branch per report when REPORTS_VIA_PULL_REQUEST is set.
import { repositoryName, type RepositoryName } from "../config/index.js";
import type { ReportPublisher } from "../incidents/ports/reportPublisher.js";
import type { GitHubClient } from "./client.js";
import type { PrivateRepositoryGuard } from "./privateRepository.js";
import { safeMarkdownFileForGitHub, safePlainTextForGitHub } from "./safeMarkdown.js";

const status = (error: unknown) => (error as { status?: number }).status;

/**
 * The body is made safe; YAML front matter is left as written: GitHub shows it as a table of plain
 * values (no mentions, links or HTML), and entities there would reach whatever indexes the reports.
 */
async function safeReportFile(content: string): Promise<string> {
  const frontMatter = /^---\n[\s\S]*?\n---\n/.exec(content)?.[0] ?? "";
  return frontMatter + (await safeMarkdownFileForGitHub(content.slice(frontMatter.length)));
}

export class GitHubReportPublisher implements ReportPublisher {
  constructor(
    private readonly octokit: GitHubClient,
    private readonly repository: RepositoryName,
    private readonly viaPullRequest: boolean,
    /** PRIVATE_REPORTS_REPOSITORY's publisher: nothing is published while the repository is public. */
    private readonly privateGuard?: PrivateRepositoryGuard,
  ) {}

  async publish(report: { path: string; content: string; message: string }) {
    await this.privateGuard?.ensure();
    // The report holds text typed in Slack: no mentions or raw HTML in the file, and nothing in the
    // commit message or PR title that GitHub reads as a mention, a reference or a closing keyword.
    const file = {
      path: report.path,
      content: await safeReportFile(report.content),
      message: safePlainTextForGitHub(report.message, { singleLine: true }),
    };
    if (!this.viaPullRequest) return { url: await this.writeFile(file) };
    const { data: repo } = await this.octokit.rest.repos.get({ ...this.repository });
    const branch = `incident-report/${file.path.replace(/^reports\//, "").replace(/\.md$/, "")}`;
    const { data: base } = await this.octokit.rest.git.getRef({ ...this.repository, ref: `heads/${repo.default_branch}` });
    try {
      await this.octokit.rest.git.createRef({ ...this.repository, ref: `refs/heads/${branch}`, sha: base.object.sha });
    } catch (error) {
      if (status(error) !== 422) throw error; // 422: the branch exists from an earlier publish
    }
    await this.writeFile({ ...file, branch });
    const { data: open } = await this.octokit.rest.pulls.list({
      ...this.repository,
      head: `${this.repository.owner}:${branch}`,
      state: "open",
    });
    if (open[0]) return { url: open[0].html_url };
    const { data: pull } = await this.octokit.rest.pulls.create({
      ...this.repository,
      head: branch,
      base: repo.default_branch,
      title: file.message,
      body: "Approved post-incident report, published by incident-bot.",
    });
    return { url: pull.html_url };
  }

  /** Creates or updates the file (PUT is idempotent for the same content and sha). Returns its URL. */
  private async writeFile(file: { path: string; content: string; message: string; branch?: string }): Promise<string> {
    let sha: string | undefined;
    try {
      const { data } = await this.octokit.rest.repos.getContent({
        ...this.repository,
        path: file.path,
        ...(file.branch ? { ref: file.branch } : {}),
      });
      if (!Array.isArray(data) && data.type === "file") sha = data.sha;
    } catch (error) {
      if (status(error) !== 404) throw error;
    }
    const { data } = await this.octokit.rest.repos.createOrUpdateFileContents({
      ...this.repository,
      path: file.path,
      message: file.message,
      content: Buffer.from(file.content, "utf8").toString("base64"),
      ...(sha ? { sha } : {}),
      ...(file.branch ? { branch: file.branch } : {}),
    });
    return data.content?.html_url ?? `https://github.com/${repositoryName(this.repository)}/blob/HEAD/${file.path}`;
  }
}

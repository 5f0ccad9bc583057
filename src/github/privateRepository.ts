// PRIVATE_GITHUB_REPOSITORY and PRIVATE_REPORTS_REPOSITORY take what must not be public: before the
// first write of a process, the repository is asked whether it is private (one GET), and nothing
// is written while it is not. Doctor and start-up say so too; this holds even if nobody read them.
import { repositoryName, type RepositoryName } from "../config/index.js";
import type { GitHubClient } from "./client.js";

export class PrivateRepositoryGuard {
  private confirmed = false;

  constructor(
    private readonly octokit: GitHubClient,
    private readonly repository: RepositoryName,
    private readonly variable: "PRIVATE_GITHUB_REPOSITORY" | "PRIVATE_REPORTS_REPOSITORY",
  ) {}

  /** Resolves once the repository is known to be private; rejects, writing nothing, while it is public. */
  async ensure(): Promise<void> {
    if (this.confirmed) return;
    const { data } = await this.octokit.rest.repos.get({ ...this.repository });
    if (data.private !== true) {
      const name = repositoryName(this.repository);
      throw new Error(`${this.variable} ${name} is public: nothing of a private incident is written there until it is made private`);
    }
    this.confirmed = true;
  }
}

// One Octokit for the bot: retries transient failures (5xx, network) and waits out rate limits
// through Octokit's own plugins rather than hand-written loops.
import { Octokit } from "@octokit/rest";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import type { Logger } from "../log.js";

const BotOctokit = Octokit.plugin(retry, throttling);
export type GitHubClient = InstanceType<typeof BotOctokit>;

export function createGitHubClient(options: {
  token: string;
  baseUrl?: string;
  logger: Logger;
  /** How many times a rate-limited or failed request is retried before it is reported. */
  retries?: number;
  /** Wait before retry n is n² times this (Octokit's default 1 s; tests shorten it). */
  retryBaseMs?: number;
}): GitHubClient {
  const { logger, retries = 3, retryBaseMs = 1000 } = options;
  const log = logger.child({ component: "github" });
  return new BotOctokit({
    auth: options.token,
    ...(options.baseUrl ? { baseUrl: options.baseUrl.replace(/\/$/, "") } : {}),
    userAgent: "incident-bot",
    log: { debug: () => {}, info: () => {}, warn: (m: string) => log.warn(m), error: (m: string) => log.error(m) },
    retry: { retries, retryAfterBaseValue: retryBaseMs },
    throttle: {
      onRateLimit: (retryAfter: number, opts: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
        log.warn({ retryAfter, method: opts.method, url: opts.url, retryCount }, "GitHub rate limit");
        return retryCount < retries;
      },
      onSecondaryRateLimit: (retryAfter: number, opts: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
        log.warn({ retryAfter, method: opts.method, url: opts.url, retryCount }, "GitHub secondary rate limit");
        return retryCount < retries;
      },
    },
  });
}

// Composition root, one step after another: config (handed in) -> start-up checks -> database ->
// Slack app -> the domain's deps -> listeners -> HTTP server (and the CLI's admin socket) -> the
// sweeper. The test harness starts the bot through this same function, against local fakes.
import type { PGlite } from "@electric-sql/pglite";
import type { WebClient } from "@slack/web-api";
import { BackgroundTasks } from "./backgroundTasks.js";
import { collectStartupGarbage } from "./startupGarbage.js";
import { repositoryName, type Config } from "./config/index.js";
import { createGitHubClient } from "./github/client.js";
import { GitHubIssueTracker } from "./github/issueTracker.js";
import { GitHubReportPublisher } from "./github/reportPublisher.js";
import { PrivateRepositoryGuard } from "./github/privateRepository.js";
import { githubWebhookRoute } from "./github/webhook.js";
import { IncidentLocator } from "./incidents/locator.js";
import type { Stores, IncidentDeps } from "./incidents/deps.js";
import type { Clock } from "./incidents/ports/clock.js";
import type { Logger } from "./log.js";
import type { Route } from "./http/server.js";
import { buildSlackApp, type SlackAppOptions } from "./slack/app.js";
import { SlackAdmins, SlackUserGroups } from "./slack/admins.js";
import { SlackIncidentChannel } from "./slack/chat.js";
import { SlackChannelMembers } from "./slack/privateChannels.js";
import { openDatabase, type Database } from "./database/database.js";
import { StatusPageReadModel } from "./store/statusPageQueries.js";
import { PrismaStatuspagePushStore } from "./store/statuspagePushStore.js";
import { prismaStores } from "./store/prismaStores.js";
import { StatuspageClient } from "./atlassianStatuspage/client.js";
import { pushPublicUpdates, type PushResult, type StatuspagePushDeps } from "./atlassianStatuspage/push.js";
import { statusPageRoutes } from "./statusPage/routes.js";
import { checkBeforeStart, warnAboutGitHub } from "./preflight/startup.js";
import { startSweeper } from "./sweeper.js";

export interface RunningBot {
  port: number;
  database: Database;
  deps: IncidentDeps;
  /** The status page's cached read (STATUS_PAGE=true): invalidate() shows a new public update at once. */
  statusPage?: StatusPageReadModel;
  /** Pushes published public updates to Atlassian Statuspage now (when STATUSPAGE_API_KEY/PAGE_ID are set). */
  pushPublicUpdates?: () => Promise<PushResult>;
  /** Resolves when no background work (commands after their ack, retries) is running. */
  idle(): Promise<void>;
  /** Stops taking requests, lets in-flight work finish, closes the database. */
  stop(): Promise<void>;
}

export interface StartOptions {
  logger: Logger;
  /** Tests hand in an already-migrated embedded database. */
  pglite?: PGlite;
  now?: () => Date;
  /** Base of GitHub's retry backoff (tests use milliseconds instead of seconds). */
  githubRetryBaseMs?: number;
  /** Spacing between GitHub writes (Octokit's 1 s, 3 s for those that notify; tests shorten it: createGitHubClient). */
  githubWriteSpacingMs?: number;
  /** Socket Mode timings (tests shorten them). */
  socketMode?: SlackAppOptions["socketMode"];
  /** First wait before the Slack client retries a failed call (its default 1 s; tests shorten it). */
  slackRetryBaseMs?: number;
  /** Base of Statuspage's retry backoff (tests use milliseconds instead of seconds). */
  statuspageRetryBaseMs?: number;
  /** Called if another process takes over the embedded database's directory (the CLI exits at once; by default it is only logged). */
  onClaimLost?: (reason: string) => void;
}

export async function startBot(config: Config, options: StartOptions): Promise<RunningBot> {
  const { logger } = options;
  const startedAt = performance.now();
  // Cheap checks first: PORT, DATA_DIR, then the token and its scopes, before any database work.
  const identity = await checkBeforeStart(config, logger, { dataDirInUse: !options.pglite });
  const githubChecked = warnAboutGitHub(config, logger);
  const database = await openBotDatabase(config, options);
  await githubChecked;

  const slack = buildSlackApp({
    config,
    logger,
    identity,
    isDatabaseUp: () => database.ping(),
    socketMode: options.socketMode,
    retryBaseMs: options.slackRetryBaseMs,
  });
  const tasks = new BackgroundTasks(logger);
  const clock: Clock = { now: options.now ?? (() => new Date()) };
  const stores = prismaStores(database);
  const { statusPage, statuspagePush } = publicStatus(config, database, clock, options);
  const deps = incidentDeps(config, options, {
    stores,
    client: slack.client,
    clock,
    // A customer update goes out at once: the status page stops serving its cached read, and
    // the Statuspage push runs now rather than at the next sweep (which retries it if this fails).
    onPublicUpdatePublished: () => {
      statusPage?.invalidate();
      if (statuspagePush) tasks.run("push public updates to Statuspage", async () => void (await pushPublicUpdates(statuspagePush)));
    },
  });
  slack.listen({ deps, tasks, logger, client: slack.client, locator: new IncidentLocator(deps) });

  let port: number;
  let admin: { close(): Promise<void> } | undefined;
  try {
    port = await slack.start(httpRoutes(config, deps, statusPage));
    // The CLI's way in while this process owns the embedded database (src/cli/adminSocket.ts).
    if (database.claim) {
      // Loaded only here: a bot on PostgreSQL has no claim and serves no CLI (idle memory, issue 22).
      const { serveCommandsInsideBot } = await import("./cli/insideBot.js");
      admin = await serveCommandsInsideBot({ database, stores, timeZone: config.timeZone, logger });
    }
  } catch (error) {
    await slack.stop().catch(() => {});
    await database.close();
    throw error;
  }
  logListening(config, logger, { database, port, startupMs: Math.round(performance.now() - startedAt) });
  const sweeper = startSweeper({ deps, tasks, config, statuspagePush });
  // Once start-up's own work is done (a later request's tasks may still be running: no harm).
  void tasks.idle().then(collectStartupGarbage);

  let stopping: Promise<void> | undefined;
  return {
    port,
    database,
    deps,
    statusPage,
    ...(statuspagePush ? { pushPublicUpdates: () => pushPublicUpdates(statuspagePush) } : {}),
    idle: () => tasks.idle(),
    stop() {
      stopping ??= (async () => {
        // A bot started while this one closes waits for it rather than being refused (src/database/dataDirOwner.ts).
        await database.claim?.markStopping().catch((error: unknown) => logger.warn({ err: error }, "could not mark the claim as stopping"));
        sweeper.stop();
        await admin?.close();
        await slack.stop();
        await tasks.idle();
        await database.close();
        logger.info("incident-bot stopped");
      })();
      return stopping;
    },
  };
}

/** The configured database, opened and migrated, with what happens along the way logged. */
function openBotDatabase(config: Config, options: StartOptions): Promise<Database> {
  const { logger } = options;
  return openDatabase(config.database, {
    pglite: options.pglite,
    onMigrated: (names) => names.length && logger.info({ migrations: names }, "applied database migrations"),
    onPoolError: (error) => logger.warn({ err: error }, "a database connection failed; it will be replaced"),
    owner: "start",
    onClaimLost: options.onClaimLost ?? ((reason) => logger.fatal({ reason }, "lost the embedded database to another process")),
    onWaitForStoppingOwner: (owner) =>
      logger.info({ pid: owner.pid, since: owner.stoppingSince }, "waiting for the bot that is shutting down to close the database"),
  });
}

/** Where public updates are shown besides Slack; each is absent when not configured. */
function publicStatus(
  config: Config,
  database: Database,
  clock: Clock,
  options: Pick<StartOptions, "logger" | "statuspageRetryBaseMs">,
): { statusPage?: StatusPageReadModel; statuspagePush?: StatuspagePushDeps } {
  const { logger } = options;
  return {
    // The public status page (STATUS_PAGE=true): GET /status, its Atom feed and Statuspage-shaped JSON.
    statusPage: config.statusPage.enabled ? new StatusPageReadModel(database, () => clock.now()) : undefined,
    // Atlassian Statuspage (STATUSPAGE_API_KEY and STATUSPAGE_PAGE_ID): public updates pushed by the sweep.
    statuspagePush: config.atlassianStatuspage
      ? {
          store: new PrismaStatuspagePushStore(database),
          client: new StatuspageClient({ ...config.atlassianStatuspage, logger, retryBaseMs: options.statuspageRetryBaseMs }),
          clock,
          logger,
        }
      : undefined,
  };
}

/** The HTTP server's routes besides the probes and Slack's: the status page and GitHub's webhook, when configured. */
function httpRoutes(config: Config, deps: IncidentDeps, statusPage: StatusPageReadModel | undefined): Route[] {
  const { repository, privateRepository, webhookSecret } = config.github;
  return [
    ...(statusPage ? statusPageRoutes({ readModel: statusPage, title: config.statusPage.title, timeZone: config.timeZone }) : []),
    ...(webhookSecret
      ? [
          githubWebhookRoute({
            secret: webhookSecret,
            repositories: [repository, privateRepository].flatMap((name) => (name ? [repositoryName(name)] : [])),
            deps,
            logger: deps.logger,
          }),
        ]
      : []),
  ];
}

/** The one line that says the bot is up (tests and the bench wait for it: its `mode` field). */
function logListening(config: Config, logger: Logger, started: { database: Database; port: number; startupMs: number }): void {
  const { database, port, startupMs } = started;
  logger.info(
    {
      mode: config.slack.mode,
      modeReason: config.slack.modeReason,
      database: database.description,
      port,
      timeZone: config.timeZone,
      startupMs,
    },
    `incident-bot listening in ${config.slack.mode === "socket" ? "Socket Mode" : "HTTP mode"} (${config.slack.modeReason}) ` +
      `on port ${port} with ${database.description}`,
  );
}

/**
 * What every use case works with. GitHub is optional: without a token or repository, action
 * items wait and reports are not published. Private incidents' issues and reports go to their own
 * repositories, and nowhere else (actionItems.ts, review.ts); those are checked to be private
 * before the first write.
 */
function incidentDeps(
  config: Config,
  options: Pick<StartOptions, "logger" | "githubRetryBaseMs" | "githubWriteSpacingMs">,
  wiring: { stores: Stores; client: WebClient; clock: Clock; onPublicUpdatePublished: () => void },
): IncidentDeps {
  const { logger } = options;
  const { stores, client, clock } = wiring;
  const github = config.github.token
    ? createGitHubClient({
        token: config.github.token,
        baseUrl: config.github.apiUrl,
        logger,
        retryBaseMs: options.githubRetryBaseMs,
        writeSpacingMs: options.githubWriteSpacingMs,
      })
    : undefined;
  const { repository, reportsRepository, privateRepository, privateReportsRepository, reportsViaPullRequest } = config.github;
  const userGroups = new SlackUserGroups(client);
  return {
    ...stores,
    channel: new SlackIncidentChannel(client, { timeZone: config.timeZone, clock, names: stores.people }),
    admins: new SlackAdmins(userGroups, config.incidentAdmins),
    userGroups,
    members: new SlackChannelMembers(client, logger, () => clock.now().getTime()),
    incidentsChannelId: config.assemble.incidentsChannelId,
    inviteOnDeclare: config.assemble.inviteOnDeclare,
    inviteOnDeclarePrivate: config.assemble.inviteOnDeclarePrivate,
    issueTracker: github && repository ? new GitHubIssueTracker(github, repository, config.timeZone) : undefined,
    privateIssueTracker:
      github && privateRepository
        ? new GitHubIssueTracker(
            github,
            privateRepository,
            config.timeZone,
            new PrivateRepositoryGuard(github, privateRepository, "PRIVATE_GITHUB_REPOSITORY"),
          )
        : undefined,
    publisher: github && reportsRepository ? new GitHubReportPublisher(github, reportsRepository, reportsViaPullRequest) : undefined,
    privatePublisher:
      github && privateReportsRepository
        ? new GitHubReportPublisher(
            github,
            privateReportsRepository,
            reportsViaPullRequest,
            new PrivateRepositoryGuard(github, privateReportsRepository, "PRIVATE_REPORTS_REPOSITORY"),
          )
        : undefined,
    clock,
    timeZone: config.timeZone,
    logger,
    issueRepository: repository && repositoryName(repository),
    reportTemplate: config.reportTemplate,
    updatesChannelId: config.updates.channelId,
    onPublicUpdatePublished: wiring.onPublicUpdatePublished,
  };
}

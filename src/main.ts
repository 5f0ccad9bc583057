// Composition root: config -> logger -> database -> GitHub -> Slack app -> start. The test
// harness starts the bot through this same function, against local fakes.
import type { PGlite } from "@electric-sql/pglite";
import { BackgroundTasks } from "./backgroundTasks.js";
import { collectStartupGarbage } from "./startupGarbage.js";
import type { Config, RepositoryName } from "./config/index.js";
import { createGitHubClient } from "./github/client.js";
import { GitHubIssueTracker } from "./github/issueTracker.js";
import { GitHubReportPublisher } from "./github/reportPublisher.js";
import { PrivateRepositoryGuard } from "./github/privateRepository.js";
import { githubWebhookRoute } from "./github/webhook.js";
import { reconcileIssues, sendIncompleteReminders, sendOverdueReminders } from "./incidents/followups.js";
import { retryPendingIssues } from "./incidents/actionItems.js";
import { backfillOpenIncidents, IncidentLocator } from "./incidents/capture.js";
import { sendReportReminders } from "./incidents/report/review.js";
import type { IncidentDeps } from "./incidents/deps.js";
import type { Logger } from "./log.js";
import { buildSlackApp, type SlackAppOptions } from "./slack/app.js";
import { SlackAdmins, SlackUserGroups } from "./slack/admins.js";
import { SlackIncidentChannel } from "./slack/chat.js";
import { SlackChannelMembers } from "./slack/privateChannels.js";
import type { serveAdminSocket } from "./cli/adminSocket.js";
import { openDatabase, type Database } from "./store/database.js";
import { StatusPageReadModel } from "./store/statusPageQueries.js";
import { PrismaStatuspagePushStore } from "./store/statuspagePushStore.js";
import { prismaStores } from "./store/prismaStores.js";
import { StatuspageClient } from "./atlassianStatuspage/client.js";
import { pushPublicUpdates, type PushResult, type StatuspagePushDeps } from "./atlassianStatuspage/push.js";
import { statusPageRoutes } from "./statusPage/routes.js";
import { sendUpdateReminders } from "./incidents/updates.js";
import { checkBeforeStart, warnAboutGitHub } from "./preflight/startup.js";

/** How often pending action-item issues and late reports are looked at. */
const SWEEP_INTERVAL_MS = 60_000;
/** Handled request keys are kept this long: far beyond any replay Slack's signatures allow. */
const HANDLED_REQUESTS_KEPT_MS = 24 * 3_600_000;
/** Issues read per reconciliation run; a longer backlog continues at the next sweep. */
const ISSUE_CHECKS_PER_RUN = 100;

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
  /** Socket Mode timings (tests shorten them). */
  socketMode?: SlackAppOptions["socketMode"];
  /** Base of Statuspage's retry backoff (tests use milliseconds instead of seconds). */
  statuspageRetryBaseMs?: number;
  /** Called if another process takes over the embedded database's directory (default: exit at once). */
  onClaimLost?: (reason: string) => void;
}

const nameOf = (repository: RepositoryName) => `${repository.owner}/${repository.repo}`;

export async function startBot(config: Config, options: StartOptions): Promise<RunningBot> {
  const { logger } = options;
  const startedAt = performance.now();
  // Cheap checks first: PORT, DATA_DIR, then the token and its scopes, before any database work.
  const identity = await checkBeforeStart(config, logger, { dataDirInUse: !options.pglite });
  const githubChecked = warnAboutGitHub(config, logger);
  const database = await openDatabase(config.database, {
    pglite: options.pglite,
    onMigrated: (names) => names.length && logger.info({ migrations: names }, "applied database migrations"),
    onPoolError: (error) => logger.warn({ err: error }, "a database connection failed; it will be replaced"),
    owner: "start",
    onClaimLost:
      options.onClaimLost ??
      ((reason) => {
        // Two PostgreSQL instances on one data directory lose writes: stop writing at once.
        logger.fatal({ reason }, "lost the embedded database to another process; exiting");
        process.exit(70);
      }),
    onWaitForStoppingOwner: (owner) =>
      logger.info({ pid: owner.pid, since: owner.stoppingSince }, "waiting for the bot that is shutting down to close the database"),
  });
  await githubChecked;
  const tasks = new BackgroundTasks(logger);
  const clock = { now: options.now ?? (() => new Date()) };

  const github = config.github.token
    ? createGitHubClient({ token: config.github.token, baseUrl: config.github.apiUrl, logger, retryBaseMs: options.githubRetryBaseMs })
    : undefined;
  const stores = prismaStores(database);

  const { repository, reportsRepository, privateRepository, privateReportsRepository, reportsViaPullRequest } = config.github;
  // Private incidents' issues and reports go to their own repositories, and nowhere else
  // (actionItems.ts, review.ts); those are checked to be private before the first write.
  const issues = github && repository ? new GitHubIssueTracker(github, repository, config.timezone) : undefined;
  const privateIssues =
    github && privateRepository
      ? new GitHubIssueTracker(
          github,
          privateRepository,
          config.timezone,
          new PrivateRepositoryGuard(github, privateRepository, "PRIVATE_GITHUB_REPOSITORY"),
        )
      : undefined;
  const publisher = github && reportsRepository ? new GitHubReportPublisher(github, reportsRepository, reportsViaPullRequest) : undefined;
  const privatePublisher =
    github && privateReportsRepository
      ? new GitHubReportPublisher(
          github,
          privateReportsRepository,
          reportsViaPullRequest,
          new PrivateRepositoryGuard(github, privateReportsRepository, "PRIVATE_REPORTS_REPOSITORY"),
        )
      : undefined;

  // The public status page (STATUS_PAGE=true): GET /status, its Atom feed and Statuspage-shaped JSON.
  const statusPage = config.statusPage.enabled ? new StatusPageReadModel(database, () => clock.now()) : undefined;
  // Atlassian Statuspage (STATUSPAGE_API_KEY and STATUSPAGE_PAGE_ID): public updates pushed by the sweep.
  const statuspagePush: StatuspagePushDeps | undefined = config.statuspage
    ? {
        store: new PrismaStatuspagePushStore(database),
        client: new StatuspageClient({ ...config.statuspage, logger, retryBaseMs: options.statuspageRetryBaseMs }),
        clock,
        logger,
      }
    : undefined;
  const slack = buildSlackApp({
    config,
    logger,
    identity,
    isDatabaseUp: () => database.ping(),
    routes: [
      ...(statusPage ? statusPageRoutes({ readModel: statusPage, title: config.statusPage.title, timeZone: config.timezone }) : []),
      ...(config.github.webhookSecret
        ? [
            githubWebhookRoute({
              secret: config.github.webhookSecret,
              repositories: [repository, privateRepository].flatMap((name) => (name ? [nameOf(name)] : [])),
              deps: () => slack.context.deps,
              logger,
            }),
          ]
        : []),
    ],
    socketMode: options.socketMode,
    context: (client) => {
      const userGroups = new SlackUserGroups(client);
      const deps: IncidentDeps = {
        ...stores,
        channel: new SlackIncidentChannel(client, { timeZone: config.timezone, clock, names: stores.people }),
        admins: new SlackAdmins(userGroups, config.incidentAdmins),
        userGroups,
        members: new SlackChannelMembers(client, logger, () => clock.now().getTime()),
        incidentsChannelId: config.assemble.incidentsChannelId,
        inviteOnDeclare: config.assemble.inviteOnDeclare,
        inviteOnDeclarePrivate: config.assemble.inviteOnDeclarePrivate,
        issues,
        privateIssues,
        publisher,
        privatePublisher,
        clock,
        timeZone: config.timezone,
        logger,
        issueRepository: repository && nameOf(repository),
        reportTemplate: config.reportTemplate,
        updatesChannelId: config.updates.channelId,
        // A customer update goes out at once: the status page stops serving its cached read, and
        // the Statuspage push runs now rather than at the next sweep (which retries it if this fails).
        onPublicUpdatePublished: () => {
          statusPage?.invalidate();
          if (statuspagePush) tasks.run("push public updates to Statuspage", async () => void (await pushPublicUpdates(statuspagePush)));
        },
      };
      return { deps, tasks, logger, client, locator: new IncidentLocator(deps) };
    },
  });
  const { deps } = slack.context;

  let port: number;
  let admin: Awaited<ReturnType<typeof serveAdminSocket>> | undefined;
  try {
    port = await slack.start();
    // The CLI's way in while this process owns the embedded database (src/cli/adminSocket.ts).
    if (database.claim) {
      // Loaded only here: a bot on PostgreSQL has no claim and serves no CLI (idle memory, issue 22).
      const [{ serveAdminSocket }, { databaseCommands }] = await Promise.all([import("./cli/adminSocket.js"), import("./cli/commands.js")]);
      const context = { database, ...stores, timeZone: config.timezone, insideBot: true };
      admin = await serveAdminSocket(
        database.claim.dir,
        async (request, io) => {
          const command = databaseCommands.find((c) => c.name === request.command);
          if (!command) return io.err(`The running bot has no command “${request.command}”.\n`), 2;
          return command.run(context, request, io);
        },
        (error) => logger.error({ err: error }, "a command from the CLI failed"),
      );
      await database.claim.setSocket(admin.path);
    }
  } catch (error) {
    await admin?.close().catch(() => {});
    await slack.stop().catch(() => {});
    await database.close();
    throw error;
  }
  logger.info(
    {
      mode: config.slack.mode,
      modeReason: config.slack.modeReason,
      database: database.description,
      port,
      timezone: config.timezone,
      startupMs: Math.round(performance.now() - startedAt),
    },
    `incident-bot listening in ${config.slack.mode === "socket" ? "Socket Mode" : "HTTP mode"} (${config.slack.modeReason}) on port ${port} with ${database.description}`,
  );

  // Work that catches up on its own, at start and then periodically. Each is safe with several
  // replicas: writes are keyed, issue creation is leased per item, reminders are claimed per day.
  // Reconciliation runs every GITHUB_SYNC_MINUTES (each item is claimed, so replicas share it), and
  // again at the next sweep while a backlog remains.
  const syncMs = config.github.syncMinutes * 60_000;
  let reconcileDueAt = 0;
  const sweep = () => {
    tasks.run("retry pending issues", async () => void (await retryPendingIssues(deps)));
    if ((deps.issues || deps.privateIssues) && clock.now().getTime() >= reconcileDueAt) {
      reconcileDueAt = Number.POSITIVE_INFINITY; // one run at a time in this process
      tasks.run("reconcile action item issues", async () => {
        try {
          const counts = await reconcileIssues(deps, { intervalMs: syncMs, limit: ISSUE_CHECKS_PER_RUN });
          if (counts.claimed) logger.info(counts, "reconciled action item issues");
          reconcileDueAt = clock.now().getTime() + (counts.claimed >= ISSUE_CHECKS_PER_RUN ? 0 : syncMs);
        } catch (error) {
          reconcileDueAt = clock.now().getTime() + syncMs;
          throw error;
        }
      });
    }
    tasks.run("overdue action items", async () => void (await sendOverdueReminders(deps)));
    tasks.run("action items without owner or date", async () => void (await sendIncompleteReminders(deps)));
    tasks.run("report reminders", async () => void (await sendReportReminders(deps, config.reportReminderHours)));
    if (statuspagePush) tasks.run("push public updates to Statuspage", async () => void (await pushPublicUpdates(statuspagePush)));
    tasks.run("update reminders", async () => void (await sendUpdateReminders(deps, config.updates.reminderMinutes)));
    tasks.run("forget old request keys", async () => void (await stores.requests.forgetHandledRequests(new Date(clock.now().getTime() - HANDLED_REQUESTS_KEPT_MS))));
    tasks.run("forget picked messages", async () => {
      await stores.picked.forgetPickedMessages(new Date(clock.now().getTime() - HANDLED_REQUESTS_KEPT_MS));
    });
  };
  tasks.run("backfill", async () => void (await backfillOpenIncidents(deps)));
  sweep();
  // Once start-up's own work is done (a later request's tasks may still be running: no harm).
  void tasks.idle().then(collectStartupGarbage);
  const sweeper = setInterval(sweep, SWEEP_INTERVAL_MS);
  sweeper.unref();

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
        // A bot started while this one closes waits for it rather than being refused (dataDirOwner.ts).
        await database.claim?.markStopping().catch((error: unknown) => logger.warn({ err: error }, "could not mark the claim as stopping"));
        clearInterval(sweeper);
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

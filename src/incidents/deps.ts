import type { Logger } from "pino";
import type { ActionItemStore } from "./ports/actionItemStore.js";
import type { Admins } from "./ports/admins.js";
import type { ChannelMembers } from "./ports/channelMembers.js";
import type { Clock } from "./ports/clock.js";
import type { IncidentChannel } from "./ports/incidentChannel.js";
import type { IncidentStore } from "./ports/incidentStore.js";
import type { IssueTracker } from "./ports/issueTracker.js";
import type { PeopleStore } from "./ports/peopleStore.js";
import type { PickedMessageStore } from "./ports/pickedMessageStore.js";
import type { ReportPublisher } from "./ports/reportPublisher.js";
import type { ReportStore } from "./ports/reportStore.js";
import type { RequestLog } from "./ports/requestLog.js";
import type { UpdateStore } from "./ports/updateStore.js";
import type { UserGroups } from "./ports/userGroups.js";
import type { Severity } from "./model.js";
import type { Template } from "./report/template.js";
import type { UndeliveredLog } from "./showing.js";

/** The stores, one per aggregate (one file each in ports/); src/store/prismaStores.ts builds the set. */
export interface Stores {
  /** Incidents and their timeline. */
  incidents: IncidentStore;
  actionItems: ActionItemStore;
  reports: ReportStore;
  /** People's cached names and GitHub logins. */
  people: PeopleStore;
  /** Slack requests already handled (replays are not handled twice). */
  requests: RequestLog;
  /** Stakeholder and customer updates (src/incidents/updates.ts). */
  updates: UpdateStore;
  /** Messages picked with a shortcut while their modal is open (src/incidents/sources.ts). */
  picked: PickedMessageStore;
}

/** What every use case works with; built once in main.ts (and by the test harness). */
export interface IncidentDeps extends Stores {
  channel: IncidentChannel;
  /** Who may assign roles whatever the incident (see policy.ts). */
  admins: Admins;
  /** Members of user groups (INCIDENT_ADMINS, INVITE_ON_DECLARE). */
  userGroups: UserGroups;
  /** INCIDENTS_CHANNEL: where incidents are announced; unset, nothing is announced (assemble.ts). */
  incidentsChannelId?: string;
  /** INVITE_ON_DECLARE: user and user group ids invited at each severity (assemble.ts). */
  inviteOnDeclare?: Partial<Record<Severity, string[]>>;
  /** INVITE_ON_DECLARE_PRIVATE: the same for private incidents, which INVITE_ON_DECLARE never reaches. */
  inviteOnDeclarePrivate?: Partial<Record<Severity, string[]>>;
  /** Who is in an incident's channel: lists outside it show a private incident only to its members (privacy.ts). */
  members: ChannelMembers;
  /** Absent when GitHub is not configured: action items then wait, pending, for it to be. */
  issueTracker?: IssueTracker;
  /** PRIVATE_GITHUB_REPOSITORY: private incidents' issues, and only theirs; absent, those wait (actionItems.ts, issueTrackerFor). */
  privateIssueTracker?: IssueTracker;
  publisher?: ReportPublisher;
  /** PRIVATE_REPORTS_REPOSITORY: private incidents' reports, and only theirs; absent, those are not published. */
  privatePublisher?: ReportPublisher;
  clock: Clock;
  timeZone: string;
  logger: Logger;
  /**
   * During a person's request: what Slack did not show on the way, to tell them (showing.ts). Set
   * on the request's own copy of the deps (src/slack/listeners/afterAck.ts); absent elsewhere (a
   * sweep, a webhook), where it goes to the log.
   */
  undelivered?: UndeliveredLog;
  /** Where action items' issues live, for links and messages. */
  issueRepository?: string;
  /** The team's report template (REPORT_TEMPLATE); the default one when unset. */
  reportTemplate?: Template;
  /** UPDATES_CHANNEL: where stakeholder updates are also posted; unset, they stay in the incident channel. */
  updatesChannelId?: string;
  /** Called once a public update is published (the Statuspage push hangs here); never twice for one update. */
  onPublicUpdatePublished?: (updateId: string) => Promise<void> | void;
}

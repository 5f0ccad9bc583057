import type { Logger } from "pino";
import type {
  ActionItemStore,
  Admins,
  Clock,
  IncidentChannel,
  IncidentStore,
  IssueTracker,
  PeopleStore,
  PickedMessageStore,
  ReportPublisher,
  ReportStore,
  RequestLog,
  UpdateStore,
  UserGroups,
} from "./ports.js";
import type { Severity } from "./model.js";
import type { Template } from "./report/template.js";

/** The stores, one per aggregate (see ports.ts); src/store/prismaStores.ts builds the set. */
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
  /** Absent when GitHub is not configured: action items then wait, pending, for it to be. */
  issues?: IssueTracker;
  publisher?: ReportPublisher;
  clock: Clock;
  timeZone: string;
  logger: Logger;
  /** Where action items' issues live, for links and messages. */
  issueRepository?: string;
  /** The team's report template (REPORT_TEMPLATE); the default one when unset. */
  reportTemplate?: Template;
  /** UPDATES_CHANNEL: where stakeholder updates are also posted; unset, they stay in the incident channel. */
  updatesChannelId?: string;
  /** Called once a public update is published (the Statuspage push hangs here); never twice for one update. */
  onPublicUpdatePublished?: (updateId: string) => Promise<void> | void;
}

// The Prisma implementation of the domain's PeopleStore: the names Slack gave people (so reports
// show names without asking Slack again, and the CLI can show them at all) and their GitHub logins.
import type { PeopleStore, PersonNames } from "../incidents/ports/peopleStore.js";
import type { UserId } from "../incidents/model.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import type { Database } from "../database/database.js";

export class PrismaPeopleStore implements PeopleStore {
  private readonly prisma: PrismaClient;

  constructor(database: Pick<Database, "prisma">) {
    this.prisma = database.prisma;
  }

  async knownNames(userIds: UserId[]) {
    if (userIds.length === 0) return {};
    const rows = await this.prisma.userProfile.findMany({ where: { slackUserId: { in: userIds }, namesUpdatedAt: { not: null } } });
    return Object.fromEntries(
      rows.map((row) => [
        row.slackUserId,
        { userId: row.slackUserId, displayName: row.displayName, realName: row.realName, updatedAt: row.namesUpdatedAt as Date },
      ]),
    );
  }

  async saveNames(people: PersonNames[], at: Date, options: { onlyKnown?: boolean } = {}) {
    for (const { userId, displayName, realName } of people) {
      const names = { displayName, realName, namesUpdatedAt: at };
      // An older read (a slow users.info racing a user_change) never replaces a newer one.
      const newer = { slackUserId: userId, OR: [{ namesUpdatedAt: null }, { namesUpdatedAt: { lte: at } }] };
      if (options.onlyKnown) {
        await this.prisma.userProfile.updateMany({ where: newer, data: names });
      } else {
        await this.prisma.userProfile.createMany({ data: [{ slackUserId: userId, ...names }], skipDuplicates: true });
        await this.prisma.userProfile.updateMany({ where: newer, data: names });
      }
    }
  }

  async setGithubLogin(userId: UserId, login: string | null) {
    await this.prisma.userProfile.upsert({
      where: { slackUserId: userId },
      create: { slackUserId: userId, githubLogin: login },
      update: { githubLogin: login },
    });
  }

  async githubLogins(userIds: UserId[]) {
    const rows = await this.prisma.userProfile.findMany({ where: { slackUserId: { in: userIds }, githubLogin: { not: null } } });
    return Object.fromEntries(rows.map((r) => [r.slackUserId, r.githubLogin as string]));
  }
}

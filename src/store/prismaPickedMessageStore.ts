// The Prisma implementation of the domain's PickedMessageStore: a message picked with a shortcut,
// held (redacted) while the person fills in the modal, then forgotten with the day's old requests.
import type { AttachedFile, PickedMessage } from "../incidents/model.js";
import type { PickedMessageStore } from "../incidents/ports/pickedMessageStore.js";
import type { Prisma, PrismaClient } from "../generated/prisma/client.js";
import type { Database } from "../database/database.js";

type Row = Prisma.PickedMessageGetPayload<object>;

const toPicked = (row: Row): PickedMessage => ({
  id: row.id,
  source: {
    channelId: row.channelId,
    channelName: row.channelName,
    ts: row.ts,
    permalink: row.permalink,
    authorId: row.authorId,
    authorName: row.authorName,
  },
  threadTs: row.threadTs,
  text: row.text,
  files: row.files as unknown as AttachedFile[],
  pickedBy: row.pickedBy,
  pickedAt: row.pickedAt,
});

export class PrismaPickedMessageStore implements PickedMessageStore {
  private readonly prisma: PrismaClient;

  constructor(database: Pick<Database, "prisma">) {
    this.prisma = database.prisma;
  }

  async pickMessage({ source, ...message }: Omit<PickedMessage, "id">) {
    const row = await this.prisma.pickedMessage.create({
      data: { ...source, ...message, files: message.files as unknown as Prisma.InputJsonValue },
    });
    return toPicked(row);
  }

  async findPickedMessage(id: string) {
    // Ids come back from Slack in a modal's metadata; one that is not a uuid finds nothing.
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return null;
    const row = await this.prisma.pickedMessage.findUnique({ where: { id } });
    return row && toPicked(row);
  }

  async forgetPickedMessages(before: Date) {
    return (await this.prisma.pickedMessage.deleteMany({ where: { pickedAt: { lt: before } } })).count;
  }
}

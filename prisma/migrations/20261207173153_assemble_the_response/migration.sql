-- AlterTable
ALTER TABLE "Incident" ADD COLUMN     "announcementChannelId" TEXT,
ADD COLUMN     "announcementTs" TEXT;

-- AlterTable
ALTER TABLE "TimelineEntry" ADD COLUMN     "slackPinned" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "PickedMessage" (
    "id" UUID NOT NULL,
    "channelId" TEXT NOT NULL,
    "channelName" TEXT,
    "ts" TEXT NOT NULL,
    "threadTs" TEXT,
    "permalink" TEXT NOT NULL,
    "authorId" TEXT,
    "authorName" TEXT,
    "text" TEXT NOT NULL,
    "files" JSONB NOT NULL DEFAULT '[]',
    "pickedBy" TEXT NOT NULL,
    "pickedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "PickedMessage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PickedMessage_pickedAt_idx" ON "PickedMessage"("pickedAt");

-- AlterTable
ALTER TABLE "TimelineEntry" ADD COLUMN     "excludedBy" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "UserProfile" ADD COLUMN     "displayName" TEXT,
ADD COLUMN     "namesUpdatedAt" TIMESTAMPTZ(3),
ADD COLUMN     "realName" TEXT;

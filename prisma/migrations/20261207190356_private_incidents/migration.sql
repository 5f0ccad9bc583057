-- AlterTable
ALTER TABLE "Incident" ADD COLUMN     "private" BOOLEAN NOT NULL DEFAULT false;

/** The CleverReach group name of a synced record: prefix + name (campaign activity: its subject). */
export function groupName(prefix: string, recordName: string | null | undefined): string {
  return `${prefix}${(recordName ?? "").trim()}`;
}

/**
 * The original manual's example (pcf-checklist/src/checklist/README.md, "Format"), also the
 * solution's default for clvr_NewsletterTypes, byte for byte.
 */
export const SEED =
  '[{"id":0,"state":0,"description":"Information","modifiedby":"","modifiedon":"","position":1},' +
  '{"id":1,"state":0,"description":"Werbung und Spiele","modifiedby":"","modifiedon":"","position":0}]';

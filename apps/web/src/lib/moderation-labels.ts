/**
 * Translated labels for the trust-and-safety enumerations: roles, moderation actions and their
 * targets, report reasons. One word per value, the same in the report form, the moderation queue,
 * the audit log and the transparency page.
 */
import type { Role } from '@opsi/contracts/accounts';
import type { LogTargetType, ModerationAction, ReportReason } from '@opsi/contracts/moderation';
import { m } from '#lib/paraglide/messages.js';

const ROLES: Record<Role, () => string> = {
  member: m.role_member,
  organiser: m.role_organiser,
  moderator: m.role_moderator,
  admin: m.role_admin,
};

const ACTIONS: Record<ModerationAction, () => string> = {
  dismiss: m.action_dismiss,
  hide: m.action_hide,
  unhide: m.action_unhide,
  delete: m.action_delete,
  warn: m.action_warn,
  suspend: m.action_suspend,
  lift_suspension: m.action_lift_suspension,
  set_role: m.action_set_role,
  trust: m.action_trust,
  redact_revision: m.action_redact_revision,
  edit: m.action_edit,
  approve_case: m.action_approve_case,
  reject_case: m.action_reject_case,
};

const TARGETS: Record<LogTargetType, () => string> = {
  post: m.target_post,
  person: m.target_person,
  event: m.target_event,
  case: m.target_case,
  report: m.target_report,
};

const REASONS: Record<ReportReason, () => string> = {
  spam: m.report_reason_spam,
  harassment: m.report_reason_harassment,
  off_topic: m.report_reason_off_topic,
  illegal: m.report_reason_illegal,
  other: m.report_reason_other,
};

export const roleLabel = (role: Role): string => ROLES[role]();
export const actionLabel = (action: ModerationAction): string => ACTIONS[action]();
export const targetLabel = (target: LogTargetType): string => TARGETS[target]();
export const reasonLabel = (reason: ReportReason): string => REASONS[reason]();

/** A role named in a log entry's details, in words when it is one. */
export function roleWord(value: unknown): string {
  return typeof value === 'string' && Object.hasOwn(ROLES, value) ? roleLabel(value as Role) : String(value ?? '');
}

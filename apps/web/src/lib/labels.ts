/** Translated labels for the API's enumerations. */
import type { CaseSort, LevelOfGovernment, Stage } from '@opsi/contracts/cases';
import type { ModerationAction, ReportReason } from '@opsi/contracts/moderation';
import { m } from '#lib/paraglide/messages.js';

export function stageLabel(stage: Stage): string {
  switch (stage) {
    case 'idea':
      return m.stage_idea();
    case 'pilot':
      return m.stage_pilot();
    case 'implementation':
      return m.stage_implementation();
    case 'evaluation':
      return m.stage_evaluation();
    case 'diffusion':
      return m.stage_diffusion();
  }
}

export function levelLabel(level: LevelOfGovernment): string {
  switch (level) {
    case 'local':
      return m.level_local();
    case 'regional':
      return m.level_regional();
    case 'national':
      return m.level_national();
    case 'international':
      return m.level_international();
  }
}

export function sortLabel(sort: CaseSort): string {
  switch (sort) {
    case 'relevance':
      return m.sort_relevance();
    case 'activity':
      return m.sort_activity();
    case 'newest':
      return m.sort_newest();
    case 'discussed':
      return m.sort_discussed();
  }
}

export function reportReasonLabel(reason: ReportReason): string {
  switch (reason) {
    case 'spam':
      return m.report_reason_spam();
    case 'harassment':
      return m.report_reason_harassment();
    case 'off_topic':
      return m.report_reason_off_topic();
    case 'illegal':
      return m.report_reason_illegal();
    case 'other':
      return m.report_reason_other();
  }
}

const LOGGED: Record<ModerationAction, () => string> = {
  dismiss: m.moderation_logged_dismiss,
  hide: m.moderation_logged_hide,
  unhide: m.moderation_logged_unhide,
  delete: m.moderation_logged_delete,
  warn: m.moderation_logged_warn,
  suspend: m.moderation_logged_suspend,
  lift_suspension: m.moderation_logged_lift_suspension,
  set_role: m.moderation_logged_set_role,
  trust: m.moderation_logged_trust,
  redact_revision: m.moderation_logged_redact_revision,
  edit: m.moderation_logged_edit,
  approve_case: m.moderation_logged_approve_case,
  reject_case: m.moderation_logged_reject_case,
};

/** What a moderator did, as a line of a member's history says it. */
export function moderationActionLabel(action: ModerationAction): string {
  return LOGGED[action]();
}

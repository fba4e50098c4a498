/** Translated labels for the case library's enumerations (trust and safety's are in `moderation-labels.ts`). */
import type { CaseSort, LevelOfGovernment, Stage } from '@opsi/contracts/cases';
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

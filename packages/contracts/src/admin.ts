/** The admin pages' API (API.md "Trust and safety", extended): members with their roles, role changes. */
import { Type, type Static } from 'typebox';
import { Roles } from './accounts.ts';
import { Cursor, Limit, Page, Timestamp } from './common.ts';
import { ModerationReason, Suspension } from './moderation.ts';

export const AdminPeopleQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 100, description: 'part of a handle or display name' })),
    role: Type.Optional(Type.Enum(Roles)),
    suspended: Type.Optional(Type.Boolean({ description: 'true: only members suspended now' })),
    cursor: Type.Optional(Cursor),
    limit: Type.Optional(Limit),
  },
  { additionalProperties: false },
);
export type AdminPeopleQuery = Static<typeof AdminPeopleQuery>;

export const AdminPerson = Type.Object({
  handle: Type.String(),
  displayName: Type.String(),
  role: Type.Enum(Roles),
  joinedAt: Timestamp,
  suspension: Type.Union([Suspension, Type.Null()], { description: 'the suspension in force, if any' }),
});
export type AdminPerson = Static<typeof AdminPerson>;

export const AdminPeoplePage = Page(AdminPerson);
export type AdminPeoplePage = Static<typeof AdminPeoplePage>;

export const RoleBody = Type.Object(
  { role: Type.Enum(Roles), reason: ModerationReason },
  { additionalProperties: false },
);
export type RoleBody = Static<typeof RoleBody>;

/** `/v2/spaces…`: spaces and their members. */
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { decodeId } from "../../domain/ids";
import {
  AddSpaceUserSchema,
  CreateSpaceSchema,
  ListSpacesQuerySchema,
  SpaceListSchema,
  SpaceMemberListSchema,
  SpaceMembershipSchema,
  SpaceSchema,
  UpdateSpaceSchema,
} from "../../schemas/directory";
import type { ApiDeps, ApiEnv } from "../context";
import { spaceJson } from "../serialize-directory";
import { ROLE_NOTE } from "./common";
import { namingScope, registerScopeRoutes } from "./scope-routes";

const inSpace = namingScope("space_id");

export function registerSpaceRoutes(
  app: OpenAPIHono<ApiEnv>,
  deps: ApiDeps,
  auth: MiddlewareHandler<ApiEnv>,
) {
  const orgId = (id: string) => decodeId("Organization", id);

  registerScopeRoutes(app, deps, auth, {
    kind: "space",
    idKind: "Space",
    collection: "/v2/spaces",
    path: "/v2/spaces/{id}",
    entity: { schema: SpaceSchema, json: spaceJson },
    listing: {
      summary: "List spaces the caller can access",
      answers: "Spaces, oldest first",
      query: ListSpacesQuerySchema,
      schema: SpaceListSchema,
      input: ({ org_id, ...filters }) => ({
        ...filters,
        organizationId: org_id === undefined ? undefined : orgId(org_id),
      }),
      answer: (spaces, pagination) => ({ spaces, pagination }),
    },
    create: {
      summary: "Create a space",
      description:
        "Admins of the organization (and account admins). The name is unique within the organization (409). `is_private` " +
        "(default false): visible only to its members and the admins above them.",
      schema: CreateSpaceSchema,
      input: (body) => ({
        // Required by CreateSpaceSchema (the type is both kinds' bodies).
        organizationId: body.organization_id === undefined ? null : orgId(body.organization_id),
        name: body.name,
        description: body.description,
        isPrivate: body.is_private,
      }),
    },
    get: {
      summary: "Get a space",
      description:
        "Its members, the admins above them, and (if public) the members of its organization; 404 for others.",
      answers: "The space",
    },
    update: {
      summary: "Rename, describe or change the visibility of a space",
      description: "Admins of its organization (and account admins). `description: null` clears it.",
      schema: UpdateSpaceSchema,
      input: (body) => ({ name: body.name, description: body.description, isPrivate: body.is_private }),
    },
    delete: {
      summary: "Delete a space",
      description:
        "Admins of its organization (and account admins). **[ext]** While it holds active service keys: 409 naming how many, " +
        "unless `?force=true`, which revokes them in the same transaction.",
    },
    list: {
      summary: "[ext] List a space's members",
      description:
        "Anyone who can see the space (a private space's list is 404 to others). Bots never appear.",
      schema: SpaceMemberListSchema,
      answer: inSpace.list,
    },
    add: {
      summary: "Add a member to a space, or change their role (upsert)",
      description:
        "Admins of the space or its organization. The person must already be a member of the space's organization (400), " +
        "unless **[ext]** `join_organization: true` adds them to it as read-only in the same transaction (the caller must also manage the organization's members)." +
        ROLE_NOTE,
      body: AddSpaceUserSchema,
      schema: SpaceMembershipSchema,
      answer: inSpace.add,
    },
    remove: {
      summary: "Remove a member from a space",
      description: "Admins of the space or its organization. 404 if not a member.",
    },
  });
}

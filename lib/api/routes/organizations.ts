/** `/v2/organizations…`: organizations and their members. */
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import {
  AddMemberSchema,
  CreateOrganizationSchema,
  ListOrganizationsQuerySchema,
  OrganizationListSchema,
  OrganizationMemberListSchema,
  OrganizationMembershipSchema,
  OrganizationSchema,
  UpdateOrganizationSchema,
} from "../../schemas/directory";
import type { ApiDeps, ApiEnv } from "../context";
import { organizationJson } from "../serialize-directory";
import { ROLE_NOTE } from "./common";
import { namingScope, registerScopeRoutes } from "./scope-routes";

const inOrganization = namingScope("organization_id");

export function registerOrganizationRoutes(
  app: OpenAPIHono<ApiEnv>,
  deps: ApiDeps,
  auth: MiddlewareHandler<ApiEnv>,
) {
  registerScopeRoutes(app, deps, auth, {
    kind: "organization",
    idKind: "Organization",
    collection: "/v2/organizations",
    path: "/v2/organizations/{id}",
    entity: { schema: OrganizationSchema, json: organizationJson },
    listing: {
      summary: "List organizations the caller can access",
      answers: "Organizations, oldest first",
      query: ListOrganizationsQuerySchema,
      schema: OrganizationListSchema,
      input: ({ name, limit, cursor }) => ({ name, limit, cursor }),
      answer: (organizations, pagination) => ({ organizations, pagination }),
    },
    create: {
      summary: "Create an organization",
      description: "Account admins only. The name is unique within the account (409).",
      schema: CreateOrganizationSchema,
      input: (body) => body,
    },
    get: {
      summary: "Get an organization",
      description: "Members of the organization (every organization, for account admins); 404 for others.",
      answers: "The organization",
    },
    update: {
      summary: "Rename or describe an organization",
      description: "Account admins only. `description: null` clears it.",
      schema: UpdateOrganizationSchema,
      input: (body) => body,
    },
    delete: {
      summary: "Delete an organization",
      description:
        "Account admins only. Deletes its spaces and memberships. **[ext]** While it holds active service keys: 409 naming how many, " +
        "unless `?force=true`, which revokes them in the same transaction.",
    },
    list: {
      summary: "[ext] List an organization's members",
      description: "Anyone with access to the organization. Oldest account first; bots never appear.",
      schema: OrganizationMemberListSchema,
      answer: inOrganization.list,
    },
    add: {
      summary: "Add a member to an organization, or change their role (upsert)",
      description: "Admins of the organization (and account admins)." + ROLE_NOTE,
      body: AddMemberSchema,
      schema: OrganizationMembershipSchema,
      answer: inOrganization.add,
    },
    remove: {
      summary: "Remove a member from an organization",
      description:
        "Admins of the organization. Also removes them from every space of it. 404 if not a member.",
    },
  });
}

import { ProblemSchema } from "../../schemas/common";

const problem = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: ProblemSchema } },
});

/** The error responses every authenticated route can give. */
export const authErrors = {
  400: problem("Invalid request parameters"),
  401: problem("Authentication required"),
  429: problem("Rate limit exceeded"),
  503: problem("The database cannot answer; nothing was verified or changed"),
} as const;

export const errors = {
  403: problem("Access forbidden"),
  404: problem("Resource not found, or not visible to the caller"),
  409: problem("Resource conflict"),
  422: problem("Unprocessable request: understood, but not allowed or not supported here"),
} as const;

export const bearer = [{ bearer: [] }];

/** A JSON request or response body of this schema. */
export const json = <T>(schema: T) => ({ "application/json": { schema } });

/** The errors of a change to the directory. */
export const changeErrors = { ...authErrors, 403: errors[403], 404: errors[404], 409: errors[409] };

/** A membership's 422. */
export const grantUnprocessable = {
  description:
    "ANNOTATOR or CUSTOM roles (not supported by this server); for generation D clients, a grant above the caller's role",
  content: errors[409].content,
};

export const ROLE_NOTE =
  " Nobody grants a role above their own at that scope (400, or 422 for generation D clients). Roles in answers follow the request's dialect.";

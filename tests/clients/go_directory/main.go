// The directory through Arize's newest Go client (client-go-v2 v0.22), against a Keydesk set up from
// empty: tests/newest-clients-directory.test.ts runs it against server.ts started with KEYDESK_DEMO=0,
// after the setup link. Organizations, spaces (a private one must read back private), users in each
// invite mode, memberships with role objects, roles, audit logs, and the parts Keydesk does not
// support (custom roles, role bindings) as clear 422s. It talks to Keydesk only through the client.
// Every check exits non-zero on failure; the last line of stdout is a JSON summary.
//
// Environment: KEYDESK_URL (http://host:port), KEYDESK_ADMIN_KEY (the first admin's key),
// KEYDESK_ADMIN_USER_ID, KEYDESK_PREFIX (names made here start with it).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"sort"
	"strings"

	"github.com/Arize-ai/client-go-v2/arize"
	"github.com/Arize-ai/client-go-v2/arize/auditlogs"
	"github.com/Arize-ai/client-go-v2/arize/organizations"
	"github.com/Arize-ai/client-go-v2/arize/rolebindings"
	"github.com/Arize-ai/client-go-v2/arize/roles"
	"github.com/Arize-ai/client-go-v2/arize/spaces"
	"github.com/Arize-ai/client-go-v2/arize/users"
)

var (
	ctx    = context.Background()
	checks []string
)

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "client-go-v2 %s directory: %s\n", arize.SDKVersion, fmt.Sprintf(format, args...))
	os.Exit(1)
}

func check(ok bool, what string) {
	if !ok {
		fail("%s", what)
	}
	checks = append(checks, what)
}

func must[T any](value T, err error) func(what string) T {
	return func(what string) T {
		if err != nil {
			fail("%s: %v", what, err)
		}
		return value
	}
}

func env(name string) string {
	value := os.Getenv(name)
	if value == "" {
		fail("%s is not set", name)
	}
	return value
}

// expectError checks that err is the client's typed error E with `status`, and returns its detail.
func expectError[E error](err error, status int, what string) string {
	if err == nil {
		fail("%s: nothing failed", what)
	}
	var typed E
	var api *arize.APIError
	check(errors.As(err, &typed) && errors.As(err, &api) && api.StatusCode == status, fmt.Sprintf("%s: %T (%d)", what, typed, status))
	return api.Detail
}

// roleName reads generation D's role object ({type: PREDEFINED, name}) as the client decoded it.
func roleName(role any) string {
	raw, _ := json.Marshal(role)
	var object struct {
		Name string `json:"name"`
	}
	_ = json.Unmarshal(raw, &object)
	return object.Name
}

func main() {
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	base, err := url.Parse(env("KEYDESK_URL"))
	if err != nil {
		fail("KEYDESK_URL: %v", err)
	}
	client := must(arize.NewClient(arize.Config{APIKey: env("KEYDESK_ADMIN_KEY"), APIHost: base.Host, APIScheme: base.Scheme}))("new client")
	p := env("KEYDESK_PREFIX")
	domain := strings.ToLower(p) + ".initech.example"
	adaID := env("KEYDESK_ADMIN_USER_ID")
	str := func(s string) *string { return &s }
	yes, no := true, false

	// ── organizations ──────────────────────────────────────────────────────────────────────────────
	org := must(client.Organizations.Create(ctx, organizations.CreateRequest{Name: p + " Engineering", Description: "Builders"}))("organizations create")
	check(org.Name == p+" Engineering" && org.Description == "Builders", "organizations.Create")
	listed := must(client.Organizations.List(ctx, organizations.ListRequest{Name: p + " Engineering"}))("organizations list")
	check(len(listed.Organizations) == 1 && listed.Organizations[0].Id == org.Id, "organizations.List by name")
	check(must(client.Organizations.Get(ctx, organizations.GetRequest{Organization: p + " Engineering"}))("organizations get").Id == org.Id, "organizations.Get by name")
	renamed := must(client.Organizations.Update(ctx, organizations.UpdateRequest{Organization: org.Id, Name: str(p + " Platform"), Description: str("Makers")}))("organizations update")
	check(renamed.Name == p+" Platform" && renamed.Description == "Makers", "organizations.Update renames")
	_, err = client.Organizations.Create(ctx, organizations.CreateRequest{Name: p + " Platform"})
	expectError[*arize.ConflictError](err, 409, "organizations.Create: a taken name")

	// ── spaces ─────────────────────────────────────────────────────────────────────────────────────
	private := must(client.Spaces.Create(ctx, spaces.CreateRequest{Name: p + " Prod", Organization: org.Id, Description: "Live", IsPrivate: true}))("spaces create")
	check(private.IsPrivate, "spaces.Create IsPrivate: reads back private")
	got := must(client.Spaces.Get(ctx, spaces.GetRequest{Space: p + " Prod"}))("spaces get")
	check(got.Id == private.Id && got.IsPrivate, "spaces.Get by name: private")
	inOrg := must(client.Spaces.List(ctx, spaces.ListRequest{Organization: p + " Platform"}))("spaces list")
	check(len(inOrg.Spaces) == 1 && inOrg.Spaces[0].Id == private.Id && inOrg.Spaces[0].IsPrivate, "spaces.List by organization name: private")
	public := must(client.Spaces.Update(ctx, spaces.UpdateRequest{Space: private.Id, Name: str(p + " Production"), IsPrivate: &no}))("spaces update")
	check(public.Name == p+" Production" && !public.IsPrivate, "spaces.Update: rename, IsPrivate false")
	check(must(client.Spaces.Update(ctx, spaces.UpdateRequest{Space: private.Id, IsPrivate: &yes}))("spaces update").IsPrivate, "spaces.Update: private again")
	scratch := must(client.Spaces.Create(ctx, spaces.CreateRequest{Name: p + " Scratch", Organization: org.Id}))("spaces create scratch")
	check(!scratch.IsPrivate, "spaces.Create: public by default")
	must(0, client.Spaces.Delete(ctx, spaces.DeleteRequest{Space: scratch.Id}))("spaces delete")
	_, err = client.Spaces.Get(ctx, spaces.GetRequest{Space: scratch.Id})
	expectError[*arize.NotFoundError](err, 404, "spaces.Delete: then Get")

	// ── users, in each invite mode ─────────────────────────────────────────────────────────────────
	temp := must(client.Users.Create(ctx, users.CreateRequest{Name: "Tess Temp", Email: "tess@" + domain, Role: users.AssignPredefinedRole(users.UserRoleMember), InviteMode: users.InviteModeTemporaryPassword}))("users create temp")
	check(temp.Status == users.UserStatusInvited && roleName(temp.Role) == "MEMBER", "users.Create TEMPORARY_PASSWORD: INVITED member")
	linked := must(client.Users.Create(ctx, users.CreateRequest{Name: "Lin Link", Email: "lin@" + domain, Role: users.AssignPredefinedRole(users.UserRoleAdmin), InviteMode: users.InviteModeEmailLink}))("users create link")
	check(linked.Status == users.UserStatusInvited && roleName(linked.Role) == "ADMIN", "users.Create EMAIL_LINK: INVITED admin")
	again := must(client.Users.Create(ctx, users.CreateRequest{Name: "Lin Link", Email: "LIN@" + domain, Role: users.AssignPredefinedRole(users.UserRoleAdmin), InviteMode: users.InviteModeEmailLink}))("users create again")
	check(again.Id == linked.Id, "users.Create: idempotent by email")
	dee := must(client.Users.Create(ctx, users.CreateRequest{Name: "Dee Direct", Email: "dee@" + domain, Role: users.AssignPredefinedRole(users.UserRoleMember), InviteMode: users.InviteModeNone}))("users create none")
	check(dee.Status == users.UserStatusActive, "users.Create NONE: ACTIVE")
	_, err = client.Users.Create(ctx, users.CreateRequest{Name: "An", Email: "an@" + domain, Role: users.AssignPredefinedRole(users.UserRoleAnnotator), InviteMode: users.InviteModeNone})
	expectError[*arize.UnprocessableEntityError](err, 422, "users.Create ANNOTATOR")
	invited := must(client.Users.List(ctx, users.ListRequest{Email: domain, Status: []users.UserStatus{users.UserStatusInvited}}))("users list")
	emails := []string{}
	for _, u := range invited.Users {
		emails = append(emails, string(u.Email))
	}
	sort.Strings(emails)
	check(fmt.Sprint(emails) == fmt.Sprintf("[lin@%s tess@%s]", domain, domain), "users.List INVITED")
	check(must(client.Users.Get(ctx, users.GetRequest{User: "dee@" + domain}))("users get by email").Id == dee.Id, "users.Get by email")
	check(roleName(must(client.Users.Get(ctx, users.GetRequest{User: adaID}))("users get").Role) == "ADMIN", "users.Get by id: role object")
	check(must(client.Users.Update(ctx, users.UpdateRequest{UserID: dee.Id, Name: str("Dee D. Direct")}))("users update").Name == "Dee D. Direct", "users.Update name")
	must(0, client.Users.ResendInvitation(ctx, users.ResendInvitationRequest{UserID: linked.Id}))("users resend")
	expectError[*arize.BadRequestError](client.Users.ResetPassword(ctx, users.ResetPasswordRequest{UserID: dee.Id}), 400, "users.ResetPassword without SMTP")
	must(0, client.Users.Delete(ctx, users.DeleteRequest{UserID: temp.Id}))("users delete")
	_, err = client.Users.Get(ctx, users.GetRequest{User: temp.Id})
	expectError[*arize.NotFoundError](err, 404, "users.Delete blocks: then Get")
	expectError[*arize.ForbiddenError](client.Users.Delete(ctx, users.DeleteRequest{UserID: adaID}), 403, "users.Delete yourself")

	// ── memberships ────────────────────────────────────────────────────────────────────────────────
	_, err = client.Spaces.AddUser(ctx, spaces.AddUserRequest{Space: private.Id, UserID: dee.Id, Role: spaces.AssignPredefinedRole(spaces.UserSpaceRoleMember)})
	expectError[*arize.BadRequestError](err, 400, "spaces.AddUser before the organization")
	member := must(client.Organizations.AddUser(ctx, organizations.AddUserRequest{Organization: org.Id, UserID: dee.Id, Role: organizations.PredefinedOrgRole{Name: organizations.OrganizationRoleReadOnly}}))("organizations add user")
	check(member.UserId == dee.Id && roleName(member.Role) == "READ_ONLY", "organizations.AddUser READ_ONLY")
	upserted := must(client.Organizations.AddUser(ctx, organizations.AddUserRequest{Organization: p + " Platform", UserID: dee.Id, Role: organizations.PredefinedOrgRole{Name: organizations.OrganizationRoleMember}}))("organizations add user again")
	check(roleName(upserted.Role) == "MEMBER", "organizations.AddUser again: upsert (organization by name)")
	inSpace := must(client.Spaces.AddUser(ctx, spaces.AddUserRequest{Space: p + " Production", UserID: dee.Id, Role: spaces.AssignPredefinedRole(spaces.UserSpaceRoleAdmin)}))("spaces add user")
	check(inSpace.SpaceId == private.Id && roleName(inSpace.Role) == "ADMIN", "spaces.AddUser ADMIN (space by name)")
	_, err = client.Spaces.AddUser(ctx, spaces.AddUserRequest{Space: private.Id, UserID: dee.Id, Role: spaces.AssignCustomRole("Um9sZToxMjM=")})
	expectError[*arize.UnprocessableEntityError](err, 422, "spaces.AddUser with a custom role")
	must(0, client.Spaces.RemoveUser(ctx, spaces.RemoveUserRequest{Space: private.Id, UserID: dee.Id}))("spaces remove user")
	expectError[*arize.NotFoundError](client.Spaces.RemoveUser(ctx, spaces.RemoveUserRequest{Space: private.Id, UserID: dee.Id}), 404, "spaces.RemoveUser twice")
	must(0, client.Organizations.RemoveUser(ctx, organizations.RemoveUserRequest{Organization: org.Id, UserID: dee.Id}))("organizations remove user")

	// ── roles, role bindings ───────────────────────────────────────────────────────────────────────
	predefined := must(client.Roles.List(ctx, roles.ListRequest{}))("roles list")
	names := []string{}
	for _, r := range predefined.Roles {
		if r.IsPredefined {
			names = append(names, r.Name)
		}
	}
	check(fmt.Sprint(names) == "[ADMIN MEMBER READ_ONLY]" && len(predefined.Roles) == 3, "roles.List: the predefined roles")
	_, err = client.Roles.Create(ctx, roles.CreateRequest{Name: "Data Scientist", Permissions: []roles.Permission{"PROJECT_READ"}})
	check(strings.Contains(expectError[*arize.UnprocessableEntityError](err, 422, "roles.Create"), "not supported"), "roles.Create: the detail says not supported")
	_, err = client.RoleBindings.Create(ctx, rolebindings.CreateRequest{RoleID: "Um9sZToxMjM=", UserID: dee.Id, ResourceType: "SPACE", ResourceID: private.Id})
	check(strings.Contains(expectError[*arize.UnprocessableEntityError](err, 422, "rolebindings.Create"), "not supported"), "rolebindings.Create: the detail says not supported")

	// ── audit logs ─────────────────────────────────────────────────────────────────────────────────
	logs := must(client.AuditLogs.List(ctx, auditlogs.ListRequest{OperationType: "MUTATION", Limit: 100}))("audit logs")
	seen := map[string]bool{}
	newestFirst := true
	for i, entry := range logs.Logs {
		if entry.OperationName != nil {
			seen[*entry.OperationName] = true
		}
		if i > 0 && entry.CreatedAt.After(logs.Logs[i-1].CreatedAt) {
			newestFirst = false
		}
	}
	for _, op := range []string{"create_organization", "update_space", "create_user", "add_space_user", "remove_organization_user", "delete_user"} {
		check(seen[op], "auditlogs.List: "+op)
	}
	check(newestFirst, "auditlogs.List: newest first")
	mine := must(client.AuditLogs.List(ctx, auditlogs.ListRequest{UserID: adaID, Limit: 5}))("audit logs by user")
	check(len(mine.Logs) == 5 && mine.Pagination.HasMore, "auditlogs.List: user_id, limit, has_more")

	// ── deleting, at the end ───────────────────────────────────────────────────────────────────────
	must(0, client.Spaces.Delete(ctx, spaces.DeleteRequest{Space: private.Id}))("spaces delete")
	must(0, client.Organizations.Delete(ctx, organizations.DeleteRequest{Organization: org.Id}))("organizations delete")
	_, err = client.Organizations.Get(ctx, organizations.GetRequest{Organization: org.Id})
	expectError[*arize.NotFoundError](err, 404, "organizations.Delete: then Get")

	summary, _ := json.Marshal(map[string]any{"version": arize.SDKVersion, "checks": len(checks)})
	fmt.Println(string(summary))
}

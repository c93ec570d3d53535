// The api-keys flow through one version of Arize's Go client (github.com/Arize-ai/client-go-v2),
// against Keydesk: the Go twin of tests/clients/python_flow.py. tests/go-clients.test.ts builds it
// once per wire generation (v0.11 A, v0.16 B, v0.18 C, v0.22 D) with the build tag of the parts whose
// API changed (gen_a: Delete instead of Revoke; gen_d: service keys over organizations with role
// objects) and runs it against server.ts on each database.
//
// It talks to Keydesk only through the client (arize.NewClient(...).APIKeys), except for /v2/me,
// which it calls with net/http to check that a key authenticates. Every check exits non-zero on
// failure; the last line of stdout is a JSON summary. Secrets come from the environment and are
// never printed.
//
// Environment: KEYDESK_URL (http://host:port), KEYDESK_ADMIN_KEY and KEYDESK_MEMBER_KEY (keys of Ada
// Admin and Max Member), KEYDESK_ADMIN_USER_ID, KEYDESK_PLATFORM_ID, KEYDESK_RESEARCH_ID,
// KEYDESK_PRODUCTION_ID, KEYDESK_STAGING_ID, KEYDESK_EXPERIMENTS_ID.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/Arize-ai/client-go-v2/arize"
	"github.com/Arize-ai/client-go-v2/arize/apikeys"
)

var (
	ctx    = context.Background()
	checks []string
	nonce  = func() string {
		b := make([]byte, 4)
		_, _ = rand.Read(b)
		return hex.EncodeToString(b)
	}()
)

// generation: the wire generation of this client version (directory.md's table).
func generation() string {
	var major, minor, patch int
	_, _ = fmt.Sscanf(arize.SDKVersion, "%d.%d.%d", &major, &minor, &patch)
	switch {
	case minor >= 19:
		return "D"
	case minor >= 17:
		return "C"
	case minor >= 12:
		return "B"
	}
	return "A"
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "client-go-v2 %s: %s\n", arize.SDKVersion, fmt.Sprintf(format, args...))
	os.Exit(1)
}

func check(ok bool, what string) {
	if !ok {
		fail("%s", what)
	}
	checks = append(checks, what)
}

// must fails the flow on an error (its text never holds a key: the client does not echo credentials).
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

// newClient points the client at Keydesk as the README says: the API host (with its port) and scheme.
func newClient(key string) *arize.Client {
	base, err := url.Parse(env("KEYDESK_URL"))
	if err != nil {
		fail("KEYDESK_URL: %v", err)
	}
	client, err := arize.NewClient(arize.Config{APIKey: key, APIHost: base.Host, APIScheme: base.Scheme})
	if err != nil {
		fail("new client: %v", err)
	}
	return client
}

type botSpace struct {
	SpaceID string          `json:"space_id"`
	Role    json.RawMessage `json:"role"`
}
type botOrg struct {
	OrgID  string          `json:"org_id"`
	Role   json.RawMessage `json:"role"`
	Spaces []botSpace      `json:"spaces"`
}
type botUser struct {
	ID            string          `json:"id"`
	AccountRole   json.RawMessage `json:"account_role"`
	Organizations []botOrg        `json:"organizations"`
}

// key: what every version's key types hold in common, read back from the client's own typed value.
type key struct {
	ID              string     `json:"id"`
	Key             string     `json:"key"`
	KeyType         string     `json:"key_type"`
	Status          string     `json:"status"`
	CreatedByUserID string     `json:"created_by_user_id"`
	ExpiresAt       *time.Time `json:"expires_at"`
	RedactedKey     *string    `json:"redacted_key"`
	BotUser         *botUser   `json:"bot_user"`
}

type keyList struct {
	APIKeys    []key `json:"api_keys"`
	Pagination struct {
		HasMore    bool    `json:"has_more"`
		NextCursor *string `json:"next_cursor"`
	} `json:"pagination"`
}

// view re-reads a typed answer of the client (whose type names change between versions) as T: only
// what the client itself decoded survives the round trip.
func view[T any](value any) T {
	var out T
	raw, err := json.Marshal(value)
	if err != nil {
		fail("encode %T: %v", value, err)
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		fail("decode %T: %v", value, err)
	}
	return out
}

// roleName reads a role as the client decoded it: a string (A–C) or generation D's {type, name}.
func roleName(raw json.RawMessage) string {
	var name string
	if json.Unmarshal(raw, &name) == nil {
		return name
	}
	var object struct {
		Name string `json:"name"`
	}
	_ = json.Unmarshal(raw, &object)
	return object.Name
}

func meStatus(secret string) int {
	status, _ := me(secret)
	return status
}

type identity struct {
	User struct {
		Kind string `json:"kind"`
	} `json:"user"`
	Organizations []struct {
		Name   string `json:"name"`
		Role   string `json:"role"`
		Spaces []struct {
			Name string `json:"name"`
			Role string `json:"role"`
		} `json:"spaces"`
	} `json:"organizations"`
}

func me(secret string) (int, identity) {
	var who identity
	request, _ := http.NewRequest(http.MethodGet, env("KEYDESK_URL")+"/v2/me", nil)
	request.Header.Set("Authorization", "Bearer "+secret)
	response, err := http.DefaultClient.Do(request)
	if err != nil {
		fail("GET /v2/me: %v", err)
	}
	defer response.Body.Close()
	body, _ := io.ReadAll(response.Body)
	if response.StatusCode == http.StatusOK {
		_ = json.Unmarshal(body, &who)
	}
	return response.StatusCode, who
}

func ids(list keyList) []string {
	out := []string{}
	for _, k := range list.APIKeys {
		out = append(out, k.ID)
	}
	return out
}

func contains(list []string, want string) bool {
	for _, item := range list {
		if item == want {
			return true
		}
	}
	return false
}

func list(client *arize.Client, request apikeys.ListRequest, what string) keyList {
	return view[keyList](must(client.APIKeys.List(ctx, request))(what))
}

// expectError checks that err is the client's typed error E for `status`, read from the problem body:
// its title is the contract's and its detail says what was wrong.
func expectError[E error](err error, status int, title string, what string) *arize.APIError {
	if err == nil {
		fail("%s: nothing failed", what)
	}
	var typed E
	check(errors.As(err, &typed), fmt.Sprintf("%s: %T", what, typed))
	var api *arize.APIError
	check(errors.As(err, &api) && api.StatusCode == status, fmt.Sprintf("%s: status %d", what, status))
	check(api.Title == title && detail(api) != "", fmt.Sprintf("%s: title %q and a detail from the problem body", what, title))
	return api
}

func main() {
	// The client's one-time ALPHA/BETA notices go through slog to stderr; keep them out of the way.
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	gen := generation()
	upper := gen == "C" || gen == "D"
	ada := newClient(env("KEYDESK_ADMIN_KEY"))
	future := time.Now().UTC().Add(30 * 24 * time.Hour).Truncate(time.Second)
	userType, serviceType := string(apikeys.APIKeyTypeUser), string(apikeys.APIKeyTypeService)
	active := string(apikeys.APIKeyStatusActive)
	check(userType == map[bool]string{true: "USER", false: "user"}[upper], "the client spells key types as its generation does")

	// ── user key ───────────────────────────────────────────────────────────────────────────────────
	userKey := view[key](must(ada.APIKeys.Create(ctx, apikeys.CreateRequest{
		Name:        fmt.Sprintf("go %s user %s", arize.SDKVersion, nonce),
		Description: "made by the Go client",
		ExpiresAt:   future,
	}))("create"))
	check(strings.HasPrefix(userKey.Key, "ak-") && len(userKey.Key) == 72, "create: the raw key has Arize's shape")
	check(userKey.KeyType == userType, "create: key_type")
	check(userKey.Status == active, "create: status")
	check(userKey.CreatedByUserID == env("KEYDESK_ADMIN_USER_ID"), "create: created_by_user_id")
	check(userKey.ExpiresAt != nil && userKey.ExpiresAt.Equal(future), "create: expires_at")
	check(meStatus(userKey.Key) == 200, "create: the new key authenticates")
	if gen != "C" {
		check(userKey.RedactedKey != nil && *userKey.RedactedKey == userKey.Key[:6]+"..."+userKey.Key[69:], "create: redacted_key")
	}

	// ── list, with every filter ──────────────────────────────────────────────────────────────────
	listed := list(ada, apikeys.ListRequest{}, "list")
	check(contains(ids(listed), userKey.ID), "list: the caller's user keys by default")
	check(!listed.Pagination.HasMore, "list: pagination")
	check(contains(ids(list(ada, apikeys.ListRequest{KeyType: apikeys.APIKeyTypeUser}, "list by type")), userKey.ID), "list: key_type=user")
	byStatus := list(ada, apikeys.ListRequest{Status: apikeys.APIKeyStatusActive}, "list by status")
	allActive := len(byStatus.APIKeys) > 0
	for _, k := range byStatus.APIKeys {
		allActive = allActive && k.Status == active
	}
	check(allActive, "list: status=active")
	check(contains(ids(list(ada, apikeys.ListRequest{UserID: env("KEYDESK_ADMIN_USER_ID")}, "list by user")), userKey.ID), "list: user_id (an account admin)")
	extra := view[key](must(ada.APIKeys.Create(ctx, apikeys.CreateRequest{Name: fmt.Sprintf("go %s second %s", arize.SDKVersion, nonce)}))("create a second key"))
	pageOne := list(ada, apikeys.ListRequest{Limit: 1}, "list limit=1")
	check(len(pageOne.APIKeys) == 1 && pageOne.Pagination.HasMore && pageOne.Pagination.NextCursor != nil, "list: limit=1 has more")
	pageTwo := list(ada, apikeys.ListRequest{Limit: 1, Cursor: *pageOne.Pagination.NextCursor}, "list with cursor")
	check(len(pageTwo.APIKeys) == 1 && pageTwo.APIKeys[0].ID != pageOne.APIKeys[0].ID, "list: cursor")

	// ── service keys in Production, by id and by name ──────────────────────────────────────────────
	serviceIDs := []string{}
	for _, space := range []string{env("KEYDESK_PRODUCTION_ID"), "Production"} {
		how := map[bool]string{true: "by name", false: "by id"}[space == "Production"]
		created := createServiceKey(ada, fmt.Sprintf("go %s service %s %s", arize.SDKVersion, how, nonce), space)
		check(created.KeyType == serviceType, "service key "+how+": key_type")
		check(created.Status == active, "service key "+how+": status")
		status, who := me(created.Key)
		check(status == 200 && who.User.Kind == "bot", "service key "+how+": acts as a bot")
		orgRole, spaceRole := "", ""
		for _, o := range who.Organizations {
			if o.Name == "Platform" {
				orgRole = o.Role
				for _, s := range o.Spaces {
					if s.Name == "Production" {
						spaceRole = s.Role
					}
				}
			}
		}
		check(orgRole == "member", "service key "+how+": organization role")
		check(spaceRole == "admin", "service key "+how+": space role")
		check(contains(ids(list(ada, apikeys.ListRequest{Space: space}, "list by space")), created.ID), "list: space "+how)
		serviceIDs = append(serviceIDs, created.ID)
	}
	check(contains(ids(list(ada, apikeys.ListRequest{KeyType: apikeys.APIKeyTypeService}, "list services")), serviceIDs[0]), "list: key_type=service")
	check(contains(ids(list(ada, apikeys.ListRequest{Space: "Production", UserID: env("KEYDESK_ADMIN_USER_ID")}, "list space+user")), serviceIDs[0]), "list: space + user_id (creator)")
	generationExtras(ada)

	// ── refresh with a grace period ─────────────────────────────────────────────────────────────────
	sooner := future.Add(-10 * 24 * time.Hour)
	refreshed := view[key](must(ada.APIKeys.Refresh(ctx, apikeys.RefreshRequest{APIKeyID: userKey.ID, GracePeriodSeconds: 600, ExpiresAt: sooner}))("refresh"))
	check(refreshed.ID == userKey.ID && refreshed.Key != "" && refreshed.Key != userKey.Key, "refresh: same id, new secret")
	check(refreshed.ExpiresAt != nil && refreshed.ExpiresAt.Equal(sooner), "refresh: the new expiry")
	check(meStatus(userKey.Key) == 200 && meStatus(refreshed.Key) == 200, "refresh: both secrets work during the grace")
	if upper {
		_, err := ada.APIKeys.Refresh(ctx, apikeys.RefreshRequest{APIKeyID: userKey.ID})
		expectError[*arize.UnprocessableEntityError](err, 422, "Unprocessable request", "refresh (C/D): lengthening a key's life")
	} else {
		again := view[key](must(ada.APIKeys.Refresh(ctx, apikeys.RefreshRequest{APIKeyID: userKey.ID}))("refresh without grace"))
		check(meStatus(refreshed.Key) == 401 && meStatus(again.Key) == 200, "refresh without grace: the old secret stops")
		refreshed = again
	}

	// ── revoke (or delete) ──────────────────────────────────────────────────────────────────────────
	for _, id := range append([]string{extra.ID, userKey.ID}, serviceIDs...) {
		must(0, removeKey(ada, id))("remove")
	}
	must(0, removeKey(ada, extra.ID))("remove again (idempotent)")
	check(meStatus(extra.Key) == 401, "revoke: the key stops at once")
	check(meStatus(userKey.Key) == 401 && meStatus(refreshed.Key) == 401, "revoke: every secret of a refreshed key dies, the one in its grace too")
	gone := list(ada, apikeys.ListRequest{Status: statusGone}, "list removed")
	goneStatus := ""
	for _, k := range gone.APIKeys {
		if k.ID == extra.ID {
			goneStatus = k.Status
		}
	}
	check(goneStatus == string(statusGone), fmt.Sprintf("list: status=%s shows it as %s", statusGone, statusGone))
	services := list(ada, apikeys.ListRequest{KeyType: apikeys.APIKeyTypeService, Status: apikeys.APIKeyStatusActive, Limit: 100}, "list active services")
	check(!contains(ids(services), serviceIDs[0]) && !contains(ids(services), serviceIDs[1]), "revoke: service keys leave the active list")

	// ── the typed errors, from problem bodies ───────────────────────────────────────────────────────
	adaKey := env("KEYDESK_ADMIN_KEY")
	last := "A"
	if strings.HasSuffix(adaKey, "A") {
		last = "B"
	}
	_, err := newClient(adaKey[:len(adaKey)-1]+last).APIKeys.List(ctx, apikeys.ListRequest{})
	expectError[*arize.UnauthorizedError](err, 401, "Authentication required", "401")
	maxClient := newClient(env("KEYDESK_MEMBER_KEY"))
	_, err = maxClient.APIKeys.List(ctx, apikeys.ListRequest{UserID: env("KEYDESK_ADMIN_USER_ID")})
	expectError[*arize.ForbiddenError](err, 403, "Access forbidden", "403 (another user's keys)")
	missing := "QXBpS2V5OjAwMDAwMDAwLTAwMDAtNDAwMC04MDAwLTAwMDAwMDAwMDAwMA==" // ApiKey:00000000-…
	expectError[*arize.NotFoundError](removeKey(ada, missing), 404, "Resource not found", "404")
	refused := tooStrong(maxClient)
	check(strings.Contains(detail(refused), "space_role") && strings.Contains(detail(refused), "Production"), "role above the cap: detail names scope and role")

	summary, _ := json.Marshal(map[string]any{"version": arize.SDKVersion, "generation": gen, "checks": len(checks)})
	fmt.Println(string(summary))
}

//go:build gen_d

package main

import (
	"fmt"
	"sort"

	"github.com/Arize-ai/client-go-v2/arize"
	"github.com/Arize-ai/client-go-v2/arize/apikeys"
)

// Generation D: a service key binds organizations and their spaces with role objects, and its
// answer carries the bot user it acts as.
func createServiceKey(client *arize.Client, name, space string) key {
	created := must(client.APIKeys.CreateServiceKey(ctx, apikeys.CreateServiceKeyRequest{
		Name: name,
		Orgs: []apikeys.OrgBinding{{
			OrgID:  env("KEYDESK_PLATFORM_ID"),
			Role:   apikeys.AssignPredefinedOrgRole(apikeys.OrgRoleMember),
			Spaces: []apikeys.SpaceBinding{{Space: space, Role: apikeys.AssignPredefinedSpaceRole(apikeys.SpaceRoleAdmin)}},
		}},
		AccountRole: apikeys.AssignPredefinedAccountRole(apikeys.AccountRoleMember),
	}))("create_service_key")
	bot := created.BotUser
	check(bot.Id != "" && len(bot.Organizations) == 1, "service key: bot_user")
	account, err := bot.AccountRole.AsPredefinedUserRoleAssignment()
	check(err == nil && account.Name == apikeys.AccountRoleMember, "service key: bot account role")
	org, err := bot.Organizations[0].Role.AsOrganizationPredefinedRoleAssignment()
	check(err == nil && org.Name == apikeys.OrgRoleMember, "service key: bot organization role")
	spaceRole, err := bot.Organizations[0].Spaces[0].Role.AsPredefinedRoleAssignment()
	check(err == nil && spaceRole.Name == apikeys.SpaceRoleAdmin, "service key: bot space role")
	check(bot.Organizations[0].Spaces[0].SpaceId == env("KEYDESK_PRODUCTION_ID"), "service key: bot space id")
	return view[key](created)
}

// One service key, two organizations, three spaces: one bot user with a role in each.
func generationExtras(ada *arize.Client) {
	multi := must(ada.APIKeys.CreateServiceKey(ctx, apikeys.CreateServiceKeyRequest{
		Name: fmt.Sprintf("go %s multi %s", arize.SDKVersion, nonce),
		Orgs: []apikeys.OrgBinding{
			{
				OrgID: env("KEYDESK_PLATFORM_ID"),
				Spaces: []apikeys.SpaceBinding{
					{Space: "Production", Role: apikeys.AssignPredefinedSpaceRole(apikeys.SpaceRoleReadOnly)},
					{Space: "Staging"},
				},
			},
			{
				OrgID:  env("KEYDESK_RESEARCH_ID"),
				Role:   apikeys.AssignPredefinedOrgRole(apikeys.OrgRoleMember),
				Spaces: []apikeys.SpaceBinding{{Space: env("KEYDESK_EXPERIMENTS_ID")}},
			},
		},
	}))("create a multi-space service key")
	bot := multi.BotUser
	check(len(bot.Organizations) == 2, "multi-space key: two organizations in bot_user")
	platform, err := bot.Organizations[0].Role.AsOrganizationPredefinedRoleAssignment()
	check(err == nil && platform.Name == apikeys.OrgRoleReadOnly, "multi-space key: default organization role")
	roles := []apikeys.SpaceRole{}
	for _, s := range bot.Organizations[0].Spaces {
		r, err := s.Role.AsPredefinedRoleAssignment()
		if err != nil {
			fail("multi-space key: space role: %v", err)
		}
		roles = append(roles, r.Name)
	}
	check(fmt.Sprint(roles) == fmt.Sprint([]apikeys.SpaceRole{apikeys.SpaceRoleReadOnly, apikeys.SpaceRoleMember}), "multi-space key: space roles (MEMBER by default)")
	for _, space := range []string{"Staging", "Experiments"} {
		check(contains(ids(list(ada, apikeys.ListRequest{Space: space}, "list by space")), multi.Id), "multi-space key: listed in "+space)
	}
	_, who := me(multi.Key)
	reached := []string{}
	for _, o := range who.Organizations {
		for _, s := range o.Spaces {
			reached = append(reached, s.Name)
		}
	}
	sort.Strings(reached)
	check(fmt.Sprint(reached) == "[Experiments Production Staging]", "multi-space key: the bot reaches its three spaces")
	must(0, removeKey(ada, multi.Id))("revoke the multi-space key")
	check(meStatus(multi.Key) == 401, "multi-space key: revoked, it stops")
}

// Max is a member of Production: ADMIN there is above his own role, a 422 in generation D.
func tooStrong(maxClient *arize.Client) *arize.APIError {
	_, err := maxClient.APIKeys.CreateServiceKey(ctx, apikeys.CreateServiceKeyRequest{
		Name: "too strong",
		Orgs: []apikeys.OrgBinding{{
			OrgID:  env("KEYDESK_PLATFORM_ID"),
			Spaces: []apikeys.SpaceBinding{{Space: "Production", Role: apikeys.AssignPredefinedSpaceRole(apikeys.SpaceRoleAdmin)}},
		}},
	})
	return expectError[*arize.UnprocessableEntityError](err, 422, "Unprocessable request", "role above the cap")
}

// From v0.20 the client reads the problem's `detail` itself.
func detail(api *arize.APIError) string { return api.Detail }

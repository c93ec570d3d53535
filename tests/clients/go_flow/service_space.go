//go:build !gen_d

package main

import (
	"encoding/json"

	"github.com/Arize-ai/client-go-v2/arize"
	"github.com/Arize-ai/client-go-v2/arize/apikeys"
)

// Generations A to C: a service key is bound to one space, with three role strings.
func createServiceKey(client *arize.Client, name, space string) key {
	return view[key](must(client.APIKeys.CreateServiceKey(ctx, apikeys.CreateServiceKeyRequest{
		Name:        name,
		Space:       space,
		SpaceRole:   apikeys.APIKeySpaceRoleAdmin,
		OrgRole:     apikeys.APIKeyOrganizationRoleMember,
		AccountRole: apikeys.APIKeyAccountRoleMember,
	}))("create_service_key"))
}

func generationExtras(*arize.Client) {}

// Max is a member of Production: ADMIN there is above his own role, a 400 before generation D.
func tooStrong(maxClient *arize.Client) *arize.APIError {
	_, err := maxClient.APIKeys.CreateServiceKey(ctx, apikeys.CreateServiceKeyRequest{
		Name: "too strong", Space: "Production", SpaceRole: apikeys.APIKeySpaceRoleAdmin,
	})
	return expectError[*arize.BadRequestError](err, 400, "Invalid request parameters", "role above the cap")
}

// Before v0.20 the client keeps the problem's `title` and the raw body; the detail is read from it.
func detail(api *arize.APIError) string {
	var problem struct {
		Detail string `json:"detail"`
	}
	_ = json.Unmarshal([]byte(api.Body), &problem)
	return problem.Detail
}

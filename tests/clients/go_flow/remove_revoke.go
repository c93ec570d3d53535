//go:build !gen_a

package main

import (
	"github.com/Arize-ai/client-go-v2/arize"
	"github.com/Arize-ai/client-go-v2/arize/apikeys"
)

// From generation B a key is revoked (POST …/revoke), and reads `revoked` (B) or `REVOKED` (C, D).
var statusGone = apikeys.APIKeyStatusRevoked

func removeKey(client *arize.Client, id string) error {
	return client.APIKeys.Revoke(ctx, apikeys.RevokeRequest{APIKeyID: id})
}

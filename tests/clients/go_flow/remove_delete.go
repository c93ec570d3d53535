//go:build gen_a

package main

import (
	"github.com/Arize-ai/client-go-v2/arize"
	"github.com/Arize-ai/client-go-v2/arize/apikeys"
)

// Generation A removes a key with DELETE, and a removed key reads `deleted`.
var statusGone = apikeys.APIKeyStatusDeleted

func removeKey(client *arize.Client, id string) error {
	return client.APIKeys.Delete(ctx, apikeys.DeleteRequest{APIKeyID: id})
}

// Lists the caller's API keys with Arize's Go client, configured only by its environment
// (ARIZE_API_KEY, ARIZE_API_HOST, ARIZE_API_SCHEME, …: what arize.NewClient reads for the fields
// arize.Config leaves empty), and prints their ids as a JSON array. tests/client-snippets.test.ts
// runs it with exactly the settings the reveal dialog's Go snippet shows.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/Arize-ai/client-go-v2/arize"
	"github.com/Arize-ai/client-go-v2/arize/apikeys"
)

func main() {
	client, err := arize.NewClient(arize.Config{})
	if err != nil {
		fmt.Fprintln(os.Stderr, "new client:", err)
		os.Exit(1)
	}
	fmt.Fprintln(os.Stderr, "api url:", client.Config().APIURL())
	listed, err := client.APIKeys.List(context.Background(), apikeys.ListRequest{})
	if err != nil {
		fmt.Fprintln(os.Stderr, "list:", err)
		os.Exit(1)
	}
	raw, err := json.Marshal(listed)
	if err != nil {
		fmt.Fprintln(os.Stderr, "encode:", err)
		os.Exit(1)
	}
	var keys struct {
		APIKeys []struct {
			ID string `json:"id"`
		} `json:"api_keys"`
	}
	if err := json.Unmarshal(raw, &keys); err != nil {
		fmt.Fprintln(os.Stderr, "decode:", err)
		os.Exit(1)
	}
	ids := []string{}
	for _, k := range keys.APIKeys {
		ids = append(ids, k.ID)
	}
	if err := json.NewEncoder(os.Stdout).Encode(ids); err != nil {
		os.Exit(1)
	}
}

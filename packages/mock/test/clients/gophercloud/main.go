// gophercloud (Debian's golang-github-gophercloud-gophercloud-dev) against the mock, unchanged:
// password auth, servers.CreateImage, then images.Get until the image is active.
// Usage: go run main.go <auth url> <server id> <image name>; prints "<image id> active".
package main

import (
	"fmt"
	"os"
	"time"

	"github.com/gophercloud/gophercloud"
	"github.com/gophercloud/gophercloud/openstack"
	"github.com/gophercloud/gophercloud/openstack/compute/v2/servers"
	"github.com/gophercloud/gophercloud/openstack/imageservice/v2/images"
)

func main() {
	authURL, serverID, name := os.Args[1], os.Args[2], os.Args[3]
	provider, err := openstack.AuthenticatedClient(gophercloud.AuthOptions{
		IdentityEndpoint: authURL,
		Username:         "alice",
		Password:         "secret",
		DomainName:       "Default",
		TenantName:       "eu-de",
	})
	fail(err)
	region := gophercloud.EndpointOpts{Region: "eu-de"}
	compute, err := openstack.NewComputeV2(provider, region)
	fail(err)
	image, err := openstack.NewImageServiceV2(provider, region)
	fail(err)
	id, err := servers.CreateImage(compute, serverID, servers.CreateImageOpts{Name: name}).ExtractImageID()
	fail(err)
	for i := 0; i < 60; i++ {
		got, err := images.Get(image, id).Extract()
		fail(err)
		if got.Status == images.ImageStatusActive {
			fmt.Println(id, "active")
			return
		}
		time.Sleep(500 * time.Millisecond)
	}
	fail(fmt.Errorf("image %s did not become active", id))
}

func fail(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

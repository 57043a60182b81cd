// How a user points the real OpenStack tools at a running mock: printed by `ecs-mock` at start-up,
// shown in the README (a test keeps both equal) and used as is by the real-client tests.

/** The mock's defaults for a login: any user name with a non-empty password works. */
export const DEMO_LOGIN = {
  username: "alice",
  password: "secret",
  userDomain: "Default",
  project: "eu-de",
  projectDomain: "Default",
} as const;

/** A clouds.yaml entry named `ecs-mock` for openstack, openstacksdk (and nova via OS_CLOUD). */
export function cloudsYaml(url: string, region = "eu-de"): string {
  return `clouds:
  ecs-mock:
    auth:
      auth_url: ${url}/identity/v3
      username: ${DEMO_LOGIN.username}
      password: ${DEMO_LOGIN.password}
      user_domain_name: ${DEMO_LOGIN.userDomain}
      project_name: ${DEMO_LOGIN.project}
      project_domain_name: ${DEMO_LOGIN.projectDomain}
    region_name: ${region}
    identity_api_version: 3
`;
}

/** The same login as environment variables (python-novaclient reads these). */
export function openrc(url: string, region = "eu-de"): string {
  return `export OS_AUTH_URL=${url}/identity/v3 OS_USERNAME=${DEMO_LOGIN.username} OS_PASSWORD=${DEMO_LOGIN.password}
export OS_USER_DOMAIN_NAME=${DEMO_LOGIN.userDomain} OS_PROJECT_NAME=${DEMO_LOGIN.project} OS_PROJECT_DOMAIN_NAME=${DEMO_LOGIN.projectDomain} OS_REGION_NAME=${region}
`;
}

/** The start-up text: where each service is and how to use the tools against it. */
export function connectHints(url: string, region = "eu-de"): string {
  return `
  identity  ${url}/identity/v3   (any user name with a non-empty password; region ${region})
  compute   ${url}/v2.1/<project_id>
  image     ${url}/image

  clouds.yaml (~/.config/openstack/clouds.yaml), then: openstack --os-cloud ecs-mock server image create --wait <server>
${cloudsYaml(url, region).replace(/^/gm, "    ").trimEnd()}

  nova: ${openrc(url, region).trim().split("\n").join("; ")}; nova image-create --poll <server> <name>
  gophercloud: AuthOptions{IdentityEndpoint: "${url}/identity/v3", Username: "${DEMO_LOGIN.username}", Password: "${DEMO_LOGIN.password}", DomainName: "${DEMO_LOGIN.userDomain}", TenantName: "${DEMO_LOGIN.project}"}
`;
}

"""Seed EKS clusters into a running moto_server through moto's own API (boto3).

Reads one JSON object on stdin:
  {"endpoint": "http://127.0.0.1:PORT",
   "clusters": [{"region": "us-east-1", "name": "c", "resourcesVpcConfig": {...}}, ...]}

Clusters are created in the order given (moto lists them in creation order). moto needs a role ARN
and subnets; the endpoint-access fields are passed through exactly as given, because moto stores
what it is told and does not fill in AWS's defaults. Prints the number of clusters created.
"""

import json
import sys

import boto3

ROLE_ARN = "arn:aws:iam::123456789012:role/eksposure-moto-e2e"
SUBNETS = ["subnet-0a1b2c3d4e5f00001", "subnet-0a1b2c3d4e5f00002"]
SECURITY_GROUPS = ["sg-0a1b2c3d4e5f00001"]


def main() -> None:
    spec = json.load(sys.stdin)
    endpoint = spec["endpoint"]
    if not endpoint.startswith("http://127.0.0.1:"):
        sys.exit(f"refusing to seed anything but a loopback moto_server, got {endpoint!r}")
    clients = {}
    for cluster in spec["clusters"]:
        region = cluster["region"]
        if region not in clients:
            clients[region] = boto3.client(
                "eks",
                region_name=region,
                endpoint_url=endpoint,
                aws_access_key_id="AKIAMOTOSEED00000000",
                aws_secret_access_key="moto-seed-secret",
            )
        vpc = {"subnetIds": SUBNETS, "securityGroupIds": SECURITY_GROUPS}
        vpc.update(cluster["resourcesVpcConfig"])
        clients[region].create_cluster(
            name=cluster["name"], roleArn=ROLE_ARN, resourcesVpcConfig=vpc
        )
    print(len(spec["clusters"]))


if __name__ == "__main__":
    main()

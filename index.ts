// The quickstart program that `scripts/main-job.sh` previews and deploys on a local stack.
import * as pulumi from "@pulumi/pulumi";

export const stack = pulumi.getStack();
export const project = pulumi.getProject();

// Serves the policy pack; @pulumi/policy and @pulumi/pulumi come from the program's node_modules.
require("../dist/policy/pack");

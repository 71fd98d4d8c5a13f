package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"

	sdk "github.com/pulumi/pulumi/sdk/v3"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// The SDK's entry point for policy packs, resolved from the pack's folder as Node would.
var runPolicyPack = filepath.Join("@pulumi", "pulumi", "cmd", "run-policy-pack")

// RunPlugin starts a Node.js policy pack (`pulumi preview --policy-pack <dir>`), as Pulumi's own
// host does (sdk/nodejs/cmd/pulumi-language-nodejs, RunPlugin): the CLI sees PulumiPolicy.yaml's
// `runtime: nodejs` and asks this host to run the folder; the host runs
// `node @pulumi/pulumi/cmd/run-policy-pack <engine address> <pack folder>` in the pack's folder.
// The SDK's entry point predates the analyzer's ConfigureStack call and reads the stack's identity
// and configuration from the environment instead, so the SDK's PolicyProxy answers the engine
// first: it receives ConfigureStack, the pack is started with those variables, and every later
// call is passed through to the pack. Other plugin kinds are not served.
func (h *languageHost) RunPlugin(
	req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer,
) error {
	if req.GetKind() != string(apitype.AnalyzerPlugin) {
		return status.Errorf(codes.Unimplemented,
			"this project's language host runs policy packs only, not %s plugins (README, Toolchain)", req.GetKind())
	}
	h.runs.Add(1)
	defer h.runs.Done()
	ctx := server.Context()
	closer, stdout, stderr, err := rpcutil.MakeRunPluginStreams(server, false)
	if err != nil {
		return err
	}
	defer closer.Close()

	packDir := req.GetInfo().GetProgramDirectory()
	node, err := exec.LookPath("node")
	if err != nil {
		return fmt.Errorf("could not find node on PATH: %w", err)
	}
	runPath, err := findSDKModule(packDir, runPolicyPack)
	if err != nil {
		// The CLI recognises Node's wording and answers with how to install the pack's dependencies.
		fmt.Fprintf(stderr, "Cannot find module '@pulumi/pulumi/cmd/run-policy-pack': %v\n", err)
		return err
	}

	proxy, proxyStdout, err := sdk.NewPolicyProxy(ctx, stdout)
	if err != nil {
		return fmt.Errorf("could not start the policy pack proxy: %w", err)
	}
	stack, err := proxy.AwaitConfiguration(ctx)
	if err != nil {
		return fmt.Errorf("could not get the stack configuration for the policy pack: %w", err)
	}
	env, err := policyPackEnv(req, stack)
	if err != nil {
		proxy.Abort(err)
		return err
	}

	// The engine address comes first in req.Args; the pack's folder goes last.
	args := append([]string{runPath}, req.GetArgs()...)
	cmd := exec.CommandContext(ctx, node, append(args, packDir)...)
	// Policy packs have always run in their own folder: @pulumi/policy reads ./package.json there.
	cmd.Dir = packDir
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = proxyStdout, stderr
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Start(); err != nil {
		proxy.Abort(err)
		return fmt.Errorf("could not start the policy pack: %w", err)
	}
	// Attach reads the pack's port, connects the proxy to it and returns when the pack exits.
	err = proxy.Attach(ctx, cmd)
	var exitErr *exec.ExitError
	switch {
	case err == nil, errors.Is(err, context.Canceled):
	case errors.As(err, &exitErr):
		return fmt.Errorf("the policy pack exited with code %d", exitErr.ExitCode())
	default:
		return err
	}
	return closer.Close()
}

// policyPackEnv is the environment the SDK's run-policy-pack reads: the CLI's environment, the
// stack's identity and configuration from ConfigureStack (nil when the engine sent none, as for
// `pulumi policy publish`), and PulumiPolicy.yaml's runtime options.
func policyPackEnv(req *pulumirpc.RunPluginRequest, stack *pulumirpc.AnalyzerStackConfigureRequest) ([]string, error) {
	if stack == nil {
		return append(req.GetEnv(), runtimeOptionsEnv(req.GetInfo())...), nil
	}
	env, err := programEnv(stack.GetConfig(), stack.GetConfigSecretKeys(), req.GetEnv(), req.GetInfo())
	if err != nil {
		return nil, err
	}
	add := func(k, v string) {
		if v != "" {
			env = append(env, k+"="+v)
		}
	}
	add("PULUMI_NODEJS_ORGANIZATION", stack.GetOrganization())
	add("PULUMI_NODEJS_PROJECT", stack.GetProject())
	add("PULUMI_NODEJS_STACK", stack.GetStack())
	add("PULUMI_NODEJS_DRY_RUN", strconv.FormatBool(stack.GetDryRun()))
	return env, nil
}

// Command pulumi-resource-command serves `command:local:Command` for the npm package
// @pulumi/command on machines that cannot obtain Pulumi's own plugin.
//
// Why it exists: Pulumi's provider lives in github.com/pulumi/pulumi-command/provider, which
// has no tags of its own and can only be addressed by a pseudo-version; the module proxy
// reachable from this project's machines serves none ("403 This module version is not
// available"), and the plugin's download host is unreachable. scripts/setup.sh registers
// Pulumi's own plugin instead whenever one is already installed on the machine.
//
// Scope: the inputs @pulumi/command 4.5.0 sends for local.Command (create, update, delete, dir,
// environment, interpreter, stdin, triggers, assetPaths, archivePaths), with Pulumi's documented
// semantics (stdout/stderr outputs with the final newline trimmed; update falls back to create;
// update and delete see the last outputs as PULUMI_COMMAND_STDOUT/STDERR). assetPaths/archivePaths
// (and so the assets/archive outputs), the local.run invoke and remote.* are not served: using
// them fails with a message saying so, never silently.
package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"strings"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"
)

// Command is the local.Command resource.
type Command struct{}

// CommandArgs are local.Command's inputs, exactly those @pulumi/command 4.5.0 sends
// (node_modules/@pulumi/command/local/command.js).
type CommandArgs struct {
	Create       *string           `pulumi:"create,optional"`
	Update       *string           `pulumi:"update,optional"`
	Delete       *string           `pulumi:"delete,optional"`
	Dir          *string           `pulumi:"dir,optional"`
	Environment  map[string]string `pulumi:"environment,optional"`
	Interpreter  []string          `pulumi:"interpreter,optional"`
	Stdin        *string           `pulumi:"stdin,optional"`
	Triggers     []any             `pulumi:"triggers,optional" provider:"replaceOnChanges"`
	AssetPaths   []string          `pulumi:"assetPaths,optional"`
	ArchivePaths []string          `pulumi:"archivePaths,optional"`
}

// CommandState is what a Command records in state: its inputs and the last run's output.
type CommandState struct {
	CommandArgs
	Stdout string `pulumi:"stdout"`
	Stderr string `pulumi:"stderr"`
}

func (c *Command) Annotate(a infer.Annotator) {
	a.SetToken("local", "Command")
	a.Describe(&c, "Runs a command on the machine running Pulumi (local build: see the project README).")
}

func (Command) Create(
	ctx context.Context, req infer.CreateRequest[CommandArgs],
) (infer.CreateResponse[CommandState], error) {
	state := CommandState{CommandArgs: req.Inputs}
	if err := unsupported(req.Inputs); err != nil {
		return infer.CreateResponse[CommandState]{}, err
	}
	id, err := uniqueID(req.Name)
	if err != nil || req.DryRun {
		return infer.CreateResponse[CommandState]{ID: id, Output: state}, err
	}
	if req.Inputs.Create != nil {
		if err := run(ctx, *req.Inputs.Create, req.Inputs, nil, &state); err != nil {
			return infer.CreateResponse[CommandState]{}, err
		}
	}
	return infer.CreateResponse[CommandState]{ID: id, Output: state}, nil
}

func (Command) Update(
	ctx context.Context, req infer.UpdateRequest[CommandArgs, CommandState],
) (infer.UpdateResponse[CommandState], error) {
	state := CommandState{CommandArgs: req.Inputs, Stdout: req.State.Stdout, Stderr: req.State.Stderr}
	if err := unsupported(req.Inputs); err != nil || req.DryRun {
		return infer.UpdateResponse[CommandState]{Output: state}, err
	}
	script := req.Inputs.Update
	if script == nil {
		script = req.Inputs.Create
	}
	if script != nil {
		if err := run(ctx, *script, req.Inputs, &req.State, &state); err != nil {
			return infer.UpdateResponse[CommandState]{}, err
		}
	}
	return infer.UpdateResponse[CommandState]{Output: state}, nil
}

func (Command) Delete(ctx context.Context, req infer.DeleteRequest[CommandState]) (infer.DeleteResponse, error) {
	if req.State.Delete == nil {
		return infer.DeleteResponse{}, nil
	}
	var discard CommandState
	return infer.DeleteResponse{}, run(ctx, *req.State.Delete, req.State.CommandArgs, &req.State, &discard)
}

func unsupported(args CommandArgs) error {
	if len(args.AssetPaths) > 0 || len(args.ArchivePaths) > 0 {
		return fmt.Errorf("assetPaths and archivePaths are not supported by this project's local build of " +
			"the command provider; install Pulumi's own plugin (see the project README) to use them")
	}
	return nil
}

// run executes script with the resource's interpreter, folder, environment and stdin, and stores
// its output in out. previous, when given, is exposed to the script as Pulumi's plugin does.
func run(ctx context.Context, script string, args CommandArgs, previous *CommandState, out *CommandState) error {
	interpreter := args.Interpreter
	if len(interpreter) == 0 {
		interpreter = []string{"/bin/sh", "-c"}
	}
	cmd := exec.CommandContext(ctx, interpreter[0], append(append([]string{}, interpreter[1:]...), script)...)
	if args.Dir != nil {
		cmd.Dir = *args.Dir
	}
	cmd.Env = os.Environ()
	for k, v := range args.Environment {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	if previous != nil {
		cmd.Env = append(cmd.Env,
			"PULUMI_COMMAND_STDOUT="+previous.Stdout, "PULUMI_COMMAND_STDERR="+previous.Stderr)
	}
	if args.Stdin != nil {
		cmd.Stdin = strings.NewReader(*args.Stdin)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	out.Stdout = strings.TrimSuffix(stdout.String(), "\n")
	out.Stderr = strings.TrimSuffix(stderr.String(), "\n")
	if err != nil {
		return fmt.Errorf("command failed: %w\nstdout: %s\nstderr: %s", err, out.Stdout, out.Stderr)
	}
	return nil
}

func uniqueID(name string) (string, error) {
	b := make([]byte, 4)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return name + hex.EncodeToString(b), nil
}

// pluginVersion is set at build time (-X main.pluginVersion=...) to the @pulumi/command version
// the npm package asks the engine for (COMMAND_PLUGIN_VERSION in scripts/env.sh).
var pluginVersion = "0.0.0-dev"

func main() {
	provider, err := infer.NewProviderBuilder().
		WithResources(infer.Resource(&Command{})).
		WithDisplayName("Command (local build)").
		Build()
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-resource-command: %v\n", err)
		os.Exit(1)
	}
	if err := p.RunProvider(context.Background(), "command", pluginVersion, provider); err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-resource-command: %v\n", err)
		os.Exit(1)
	}
}

// Command pulumi-language-nodejs is this project's Node.js language host for the Pulumi CLI.
//
// Why it exists: Pulumi's own host lives in the untagged Go module
// github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3, which can only be addressed
// by a pseudo-version, and the module proxy reachable from this project's machines serves no
// pseudo-version of it (every request is answered "403 This module version is not available").
// This host implements the part of the LanguageRuntime protocol that `pulumi preview`, `up`,
// `refresh` and `destroy` use: it runs the program with the Node.js SDK's own entry point
// (`@pulumi/pulumi/cmd/run`), exactly as Pulumi's host does, and starts Node.js policy packs
// (`--policy-pack <dir>`) through RunPlugin with the SDK's `@pulumi/pulumi/cmd/run-policy-pack`
// (policy.go). Everything else (about, install, code generation, packing, other plugin kinds)
// answers Unimplemented, which the engine treats as "not supported".
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"
)

// The Node.js SDK exits with this code after it has already shown the user an actionable message;
// the engine must then stop without adding a generic error of its own.
const exitAfterUserMessage = 32

type languageHost struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	engineAddress string
	// Programs and policy packs running (one per Run or RunPlugin call), waited for before the
	// host exits.
	runs sync.WaitGroup
}

func main() {
	showVersion := flag.Bool("version", false, "print the plugin version and exit")
	// Accepted for compatibility with the flags the CLI passes to Pulumi's own host.
	flag.String("tracing", "", "ignored")
	flag.String("runtime", "nodejs", "ignored: only nodejs is supported")
	flag.Parse()
	if *showVersion {
		fmt.Println(version.Version)
		return
	}

	host := &languageHost{}
	if flag.NArg() > 0 {
		host.engineAddress = flag.Arg(0)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cancel := make(chan bool)
	go func() {
		<-ctx.Done()
		close(cancel)
	}()
	if host.engineAddress != "" {
		// Exit when the engine goes away, so no host outlives an interrupted CLI.
		if err := rpcutil.Healthcheck(ctx, host.engineAddress, 5*time.Minute, stop); err != nil {
			fatal(fmt.Errorf("could not start the engine health check: %w", err))
		}
	}
	// The engine's health check above runs every 5 minutes; a killed CLI is noticed within a second
	// by its parent pid changing, which happens only when the parent (the CLI) has died.
	go watchParent(ctx, os.Getppid(), time.Second, stop)

	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: cancel,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, host)
			return nil
		},
	})
	if err != nil {
		fatal(fmt.Errorf("could not start the language host: %w", err))
	}
	// The plugin protocol: the first line on stdout is the port the CLI connects to.
	fmt.Printf("%d\n", handle.Port)
	err = <-handle.Done
	// A program still running is interrupted with its RPC; wait for it (at most its WaitDelay), so
	// that no node process outlives this host.
	host.runs.Wait()
	if err != nil {
		fatal(fmt.Errorf("language host stopped serving: %w", err))
	}
}

// watchParent calls stop once this process's parent is no longer `parent`: the parent died and
// the process was handed to another (init or a subreaper). It ends with ctx.
func watchParent(ctx context.Context, parent int, every time.Duration, stop context.CancelFunc) {
	ticker := time.NewTicker(every)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			if os.Getppid() != parent {
				fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: the engine (pid %d) is gone; exiting\n", parent)
				stop()
				return
			}
		}
	}
}

func fatal(err error) {
	fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: %v\n", err)
	os.Exit(1)
}

func (h *languageHost) Handshake(
	ctx context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	if req.GetEngineAddress() != "" {
		h.engineAddress = req.GetEngineAddress()
	}
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *languageHost) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version.Version}, nil
}

// Resource plugins are loaded on demand from the version each SDK package registers with, so the
// host needs to report none ahead of time.
func (h *languageHost) GetRequiredPackages(
	context.Context, *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

func (h *languageHost) GetRequiredPlugins(
	context.Context, *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil
}

func (h *languageHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	h.runs.Add(1)
	defer h.runs.Done()
	info := req.GetInfo()
	if info == nil {
		return &pulumirpc.RunResponse{Error: "the engine sent no program information"}, nil
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return &pulumirpc.RunResponse{Error: "could not find node on PATH: " + err.Error()}, nil
	}
	runPath, err := findSDKModule(info.GetProgramDirectory(), filepath.Join("@pulumi", "pulumi", "cmd", "run"))
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	env, err := programEnv(req.GetConfig(), req.GetConfigSecretKeys(), os.Environ(), req.GetInfo())
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}

	cmd := exec.CommandContext(ctx, node, runArgs(req, runPath, h.engineAddress)...)
	cmd.Dir = info.GetProgramDirectory()
	cmd.Env = env
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	// On cancellation give the program the same chance to finish cleanly that Ctrl-C gives it.
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 5 * time.Second

	err = cmd.Run()
	var exitErr *exec.ExitError
	switch {
	case err == nil:
		return &pulumirpc.RunResponse{}, nil
	case errors.As(err, &exitErr) && exitErr.ExitCode() == exitAfterUserMessage:
		return &pulumirpc.RunResponse{Bail: true}, nil
	case errors.As(err, &exitErr):
		return &pulumirpc.RunResponse{
			Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exitErr.ExitCode()),
		}, nil
	default:
		return &pulumirpc.RunResponse{Error: "could not run the Node.js program: " + err.Error()}, nil
	}
}

// runArgs builds the command line of the SDK's run entry point from the engine's request.
func runArgs(req *pulumirpc.RunRequest, runPath, engineAddress string) []string {
	args := []string{runPath}
	add := func(flagName, value string) {
		if value != "" {
			args = append(args, "--"+flagName, value)
		}
	}
	info := req.GetInfo()
	add("monitor", req.GetMonitorAddress())
	add("engine", engineAddress)
	add("organization", req.GetOrganization())
	add("project", req.GetProject())
	add("root-directory", info.GetRootDirectory())
	add("stack", req.GetStack())
	add("pwd", info.GetProgramDirectory())
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	add("parallel", strconv.Itoa(int(req.GetParallel())))
	entryPoint := info.GetEntryPoint()
	if entryPoint == "" {
		entryPoint = "."
	}
	args = append(args, entryPoint)
	return append(args, req.GetArgs()...)
}

// programEnv passes configuration the way the Node.js SDK reads it: PULUMI_CONFIG holds the
// stack's configuration as JSON with keys in the "<namespace>:config:<name>" form every SDK
// version understands, PULUMI_CONFIG_SECRET_KEYS names the keys that hold secrets; then the
// program's runtime options (TypeScript, tsconfig, node arguments) on top of `base`.
func programEnv(
	stackConfig map[string]string, configSecretKeys []string, base []string, info *pulumirpc.ProgramInfo,
) ([]string, error) {
	cfg := make(map[string]string, len(stackConfig))
	for k, v := range stackConfig {
		key, err := config.ParseKey(k)
		if err != nil {
			return nil, fmt.Errorf("invalid configuration key %q: %w", k, err)
		}
		cfg[key.Namespace()+":config:"+key.Name()] = v
	}
	cfgJSON, err := json.Marshal(cfg)
	if err != nil {
		return nil, err
	}
	if configSecretKeys == nil {
		configSecretKeys = []string{}
	}
	secretJSON, err := json.Marshal(configSecretKeys)
	if err != nil {
		return nil, err
	}
	env := append(slices.Clone(base),
		"PULUMI_CONFIG="+string(cfgJSON),
		"PULUMI_CONFIG_SECRET_KEYS="+string(secretJSON))
	return append(env, runtimeOptionsEnv(info)...), nil
}

// runtimeOptionsEnv turns the runtime options of Pulumi.yaml or PulumiPolicy.yaml into the
// variables the Node.js SDK's entry points read; TypeScript is on unless `typescript: false`.
func runtimeOptionsEnv(info *pulumirpc.ProgramInfo) []string {
	var env []string
	opts := info.GetOptions().AsMap()
	if ts, ok := opts["typescript"].(bool); !ok || ts {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	if p, ok := opts["tsconfig"].(string); ok && p != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+p)
	}
	if nodeArgs, ok := opts["nodeargs"].(string); ok && strings.TrimSpace(nodeArgs) != "" {
		env = append(env, "NODE_OPTIONS="+strings.TrimSpace(os.Getenv("NODE_OPTIONS")+" "+nodeArgs))
	}
	return env
}

// findSDKModule looks for node_modules/<rel> in dir and its parents, as Node's resolver would.
func findSDKModule(dir, rel string) (string, error) {
	for d := dir; ; d = filepath.Dir(d) {
		candidate := filepath.Join(d, "node_modules", rel)
		if _, err := os.Stat(candidate); err == nil {
			return candidate, nil
		}
		if parent := filepath.Dir(d); parent == d {
			break
		}
	}
	return "", fmt.Errorf("could not find node_modules/%s above %s: run npm install in the program's folder", rel, dir)
}

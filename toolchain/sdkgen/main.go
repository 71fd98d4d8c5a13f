// Command pulumi-sdkgen writes the Node.js, Go and Python SDKs of a Pulumi package schema with
// Pulumi's own generators, at the pinned version, so the SDKs match the CLI that runs them:
//
//	pulumi-sdkgen -schema provider/plugin/schema.json -out sdks [-languages nodejs,go,python]
//
// Each language goes to its own folder under -out (nodejs/, go/, python/), replaced whole.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

// The tool name the generators write into each file's "do not edit" header.
const tool = "pulumi-sdkgen"

func main() {
	schemaPath := flag.String("schema", "", "the package schema (JSON)")
	outDir := flag.String("out", "sdks", "the folder that receives one folder per language")
	languages := flag.String("languages", "nodejs,go,python", "comma-separated: nodejs, go, python")
	flag.Parse()
	if *schemaPath == "" {
		fmt.Fprintln(os.Stderr, "pulumi-sdkgen: -schema is required")
		os.Exit(2)
	}
	if err := run(*schemaPath, *outDir, strings.Split(*languages, ",")); err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-sdkgen: %v\n", err)
		os.Exit(1)
	}
}

func run(schemaPath, outDir string, languages []string) error {
	text, err := os.ReadFile(schemaPath)
	if err != nil {
		return err
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(text, &spec); err != nil {
		return fmt.Errorf("%s: %w", schemaPath, err)
	}
	for _, lang := range languages {
		started := time.Now()
		// Bound afresh per language: each generator imports its own language section into the package.
		pkg, diags, err := schema.BindSpec(spec, schema.NewNullLoader(), schema.ValidationOptions{})
		if err != nil {
			return fmt.Errorf("%s: %w", schemaPath, err)
		}
		if diags.HasErrors() {
			return fmt.Errorf("%s: %s", schemaPath, diags.Error())
		}
		files, err := generate(lang, pkg)
		if err != nil {
			return fmt.Errorf("%s SDK: %w", lang, err)
		}
		dir := filepath.Join(outDir, lang)
		if err := writeAll(dir, files); err != nil {
			return err
		}
		fmt.Printf("%s SDK: %d files in %s (%d ms)\n", lang, len(files), dir, time.Since(started).Milliseconds())
	}
	return nil
}

// The package depends on no other package's schema: the generators never need a loader.
func generate(lang string, pkg *schema.Package) (map[string][]byte, error) {
	switch lang {
	case "nodejs":
		return nodejs.GeneratePackage(tool, pkg, nil, nil, false, nil)
	case "go":
		return gogen.GeneratePackage(tool, pkg, nil)
	case "python":
		return python.GeneratePackage(tool, pkg, nil, nil)
	default:
		return nil, errors.New("unknown language (nodejs, go or python)")
	}
}

// writeAll replaces dir with the generated files, so a file the schema no longer yields is gone.
func writeAll(dir string, files map[string][]byte) error {
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, content, 0o644); err != nil {
			return err
		}
	}
	return nil
}

//go:build tools

// Package tools keeps the language host's module in go.mod; setup builds it with
// `go build github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml`.
package tools

import _ "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml"

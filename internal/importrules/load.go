package importrules

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Load lists every package of the module that contains dir, with its test
// variants, as the go tool builds them with the extra environment env
// (e.g. "GOOS=js", "GOARCH=wasm"). Packages whose files the target
// excludes are left out.
func Load(dir string, env ...string) ([]Package, error) {
	cmd := exec.Command("go", "list", "-e", "-test",
		"-json=ImportPath,ForTest,Imports,Deps,Dir,GoFiles,Error", "./...")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list %v: %v: %s", env, err, stderr.Bytes())
	}
	var pkgs []Package
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p struct {
			Package
			Dir     string
			GoFiles []string
			Error   *struct{ Err string }
		}
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, fmt.Errorf("go list %v: %v", env, err)
		}
		if p.Error != nil {
			if len(p.GoFiles) == 0 && strings.Contains(p.Error.Err, "build constraints exclude all Go files") {
				continue // a package of the other target
			}
			return nil, fmt.Errorf("go list %v: %s: %s", env, p.ImportPath, p.Error.Err)
		}
		if under(basePath(p.Package), Module+"/wasm") && p.ForTest == "" {
			for _, f := range p.GoFiles {
				decls, err := topDecls(filepath.Join(p.Dir, f))
				if err != nil {
					return nil, err
				}
				p.TopDecls = append(p.TopDecls, decls...)
			}
		}
		pkgs = append(pkgs, p.Package)
	}
	return pkgs, nil
}

// topDecls names the top-level declarations of a Go file.
func topDecls(file string) ([]string, error) {
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			name := d.Name.Name
			if d.Recv != nil {
				name = "(method) " + name
			}
			out = append(out, "func "+name)
		case *ast.GenDecl:
			if d.Tok == token.IMPORT {
				continue
			}
			for _, s := range d.Specs {
				switch s := s.(type) {
				case *ast.TypeSpec:
					out = append(out, "type "+s.Name.Name)
				case *ast.ValueSpec:
					for _, n := range s.Names {
						out = append(out, d.Tok.String()+" "+n.Name)
					}
				}
			}
		}
	}
	return out, nil
}

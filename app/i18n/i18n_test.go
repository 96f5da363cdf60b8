package i18n

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// catalogue reads every Msg literal of the package's source files. An
// element that is not a constant string is an error: nothing escapes the
// checks.
func catalogue(t *testing.T) []Msg {
	t.Helper()
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var all []Msg
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.CompositeLit)
			if !ok {
				return true
			}
			if id, ok := lit.Type.(*ast.Ident); !ok || id.Name != "Msg" {
				return true
			}
			var s [2]string
			if len(lit.Elts) != 2 {
				t.Errorf("%v: Msg literal with %d elements, want Msg{English, Japanese}", fset.Position(lit.Pos()), len(lit.Elts))
				return false
			}
			for i, e := range lit.Elts {
				v, ok := constString(e)
				if !ok {
					t.Errorf("%v: Msg element is not a constant string", fset.Position(e.Pos()))
				}
				s[i] = v
			}
			all = append(all, Msg{s[0], s[1]})
			return false
		})
	}
	return all
}

// constString evaluates a string literal or a concatenation of them.
func constString(e ast.Expr) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(e.Value)
		return s, err == nil
	case *ast.BinaryExpr:
		if e.Op != token.ADD {
			return "", false
		}
		x, ok1 := constString(e.X)
		y, ok2 := constString(e.Y)
		return x + y, ok1 && ok2
	case *ast.ParenExpr:
		return constString(e.X)
	}
	return "", false
}

func TestCatalogueComplete(t *testing.T) {
	all := catalogue(t)
	if len(all) < 400 {
		t.Fatalf("only %d messages found", len(all))
	}
	for _, msg := range all {
		if strings.TrimSpace(msg.EN) == "" || strings.TrimSpace(msg.JA) == "" {
			t.Errorf("message %+v lacks a language", msg)
		}
		// Both languages take the same arguments.
		if en, ja := verbs(msg.EN), verbs(msg.JA); en != ja {
			t.Errorf("message %+v: format verbs %q in English, %q in Japanese", msg, en, ja)
		}
	}
}

var verbRe = regexp.MustCompile(`%(?:\[(\d+)\])?[-+# 0-9.]*([a-zA-Z])`)

// verbs lists a format's verbs in argument order, e.g. "sd".
func verbs(s string) string {
	s = strings.ReplaceAll(s, "%%", "")
	byArg := map[int]string{}
	next := 1
	for _, m := range verbRe.FindAllStringSubmatch(s, -1) {
		if m[1] != "" {
			next, _ = strconv.Atoi(m[1])
		}
		byArg[next] = m[2]
		next++
	}
	out := ""
	for i := 1; i <= len(byArg); i++ {
		out += byArg[i]
	}
	return out
}

func TestExplicitArgumentIndexes(t *testing.T) {
	// VerdictReceived reorders its arguments in Japanese.
	if got := T(JA, VerdictReceived, 1, 2); got != "切断中に送った 2 通のうち 1 通を受信しました。" {
		t.Errorf("Japanese verdict = %q", got)
	}
	if got := T(EN, VerdictReceived, 1, 2); got != "Received 1 of the 2 messages sent while it was away." {
		t.Errorf("English verdict = %q", got)
	}
}

func TestDetect(t *testing.T) {
	tests := []struct {
		scenario  string
		preferred []string
		want      Lang
	}{
		{"Japanese browser", []string{"ja-JP", "en-US"}, JA},
		{"English browser", []string{"en-GB"}, EN},
		{"first supported wins", []string{"fr-FR", "ja", "en"}, JA},
		{"none supported", []string{"fr", "de"}, EN},
		{"nothing known", nil, EN},
		{"upper case", []string{"JA"}, JA},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			if got := Detect(tt.preferred); got != tt.want {
				t.Errorf("Detect(%q) = %s, want %s", tt.preferred, got, tt.want)
			}
		})
	}
	if _, ok := Parse("zz"); ok {
		t.Error("Parse accepted zz")
	}
}

package importrules

import (
	"bufio"
	"errors"
	"regexp"
	"strings"
)

// The README's "## Layout" section maps the folders: a code block, one
// line per folder, two spaces of indentation per level, the folder's path
// (relative to its parent's, ending in "/") first and what it holds after
// it. A description that runs on indents further and may name sub-folders
// in passing ("gatewaytest/, a broker…"). LayoutFolders reads that map.

// childWord is a sub-folder named in passing in a description's run-on
// line, always followed by a comma: "mochitest/, the repairs' tests".
var childWord = regexp.MustCompile(`^([a-z0-9_]+)/,$`)

// LayoutFolders returns the folders the README's layout map names, as
// paths relative to the module's root ("app/ui", "server/internal/cmd/cluster").
func LayoutFolders(readme string) ([]string, error) {
	_, after, ok := strings.Cut(readme, "\n## Layout\n")
	if !ok {
		return nil, errors.New(`importrules: the README has no "## Layout" section`)
	}
	_, block, ok := strings.Cut(after, "```\n")
	if !ok {
		return nil, errors.New("importrules: the README's layout has no code block")
	}
	block, _, _ = strings.Cut(block, "```")

	var (
		out   []string
		stack []string // the folder at each level
		last  string   // the folder the current description belongs to
	)
	sc := bufio.NewScanner(strings.NewReader(block))
	for sc.Scan() {
		line := sc.Text()
		text := strings.TrimLeft(line, " ")
		indent := len(line) - len(text)
		first, _, _ := strings.Cut(text, " ")
		level := indent / 2
		entry := indent%2 == 0 && level <= len(stack) && strings.HasSuffix(strings.TrimSuffix(first, ","), "/")
		if !entry {
			// A description that runs on: sub-folders named in passing.
			for _, w := range strings.Fields(text) {
				if m := childWord.FindStringSubmatch(w); m != nil && last != "" {
					out = append(out, last+"/"+m[1])
				}
			}
			continue
		}
		if strings.HasSuffix(first, ",") {
			// Folders that are not packages, named together on one line:
			// "_paho/, _websocket/, _goapp/  not packages".
			for _, w := range strings.Fields(text) {
				name, ok := strings.CutSuffix(strings.TrimSuffix(w, ","), "/")
				if !ok {
					break
				}
				out = append(out, strings.Join(append(stack[:level:level], name), "/"))
			}
			last = ""
			continue
		}
		stack = append(stack[:level], strings.TrimSuffix(first, "/"))
		last = strings.Join(stack, "/")
		out = append(out, last)
	}
	return out, sc.Err()
}

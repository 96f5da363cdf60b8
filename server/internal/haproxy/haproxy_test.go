package haproxy

import (
	"strings"
	"testing"
	"time"
)

func TestConfig(t *testing.T) {
	got := Config("127.0.0.1:9000", []string{"127.0.0.1:9001", "127.0.0.1:9002"}, 300*time.Millisecond)
	for _, want := range []string{
		"bind 127.0.0.1:9000\n",
		"    server r1 127.0.0.1:9001 check inter 300ms fall 2 rise 2\n",
		"    server r2 127.0.0.1:9002 check inter 300ms fall 2 rise 2\n",
		"timeout tunnel 1h\n",
		"option httpchk GET /healthz\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("config lacks %q:\n%s", want, got)
		}
	}
}

package fault

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"qosplayground/app/mqttframe"
	"qosplayground/app/netcond"
)

func TestParse(t *testing.T) {
	tests := []struct {
		scenario string
		msg      string
		want     Command
		wantErr  string // "" means valid
	}{
		{"cut now", `{"op":"cut-now"}`, Command{Op: OpCutNow}, ""},
		{"clear", `{"op":"clear"}`, Command{Op: OpClear}, ""},
		{"cut before PUBACK down", `{"op":"cut-at","dir":"down","packet":"PUBACK","when":"before"}`,
			Command{Op: OpCutAt, Dir: Down, Packet: "PUBACK", When: Before}, ""},
		{"cut after the third PUBLISH up", `{"op":"cut-at","dir":"up","packet":"PUBLISH","when":"after","skip":2}`,
			Command{Op: OpCutAt, Dir: Up, Packet: "PUBLISH", When: After, Skip: 2}, ""},
		{"random", `{"op":"random","min":3,"max":40,"seed":-7}`, Command{Op: OpRandom, Min: 3, Max: 40, Seed: -7}, ""},
		{"random at the next packet", `{"op":"random"}`, Command{Op: OpRandom}, ""},
		{"whitespace around", " \n{\"op\":\"clear\"}\n ", Command{Op: OpClear}, ""},
		{"freeze", `{"op":"freeze"}`, Command{Op: OpFreeze}, ""},
		{"freeze with a packet", `{"op":"freeze","packet":"PUBACK"}`, Command{}, "freeze takes no other field"},

		{"empty", ``, Command{}, "not a JSON command"},
		{"not JSON", `cut now please`, Command{}, "not a JSON command"},
		{"null", `null`, Command{}, "op missing"},
		{"array", `[{"op":"clear"}]`, Command{}, "not a JSON command"},
		{"two objects", `{"op":"clear"}{"op":"cut-now"}`, Command{}, "more than one"},
		{"trailing brace", `{"op":"clear"}}`, Command{}, "more than one"},
		{"unknown field", `{"op":"cut-now","connection":7}`, Command{}, `unknown field "connection"`},
		{"client id is not a field", `{"op":"cut-now","client_id":"someone-else"}`, Command{}, "unknown field"},
		{"skip as a string", `{"op":"cut-at","dir":"up","packet":"PUBLISH","when":"before","skip":"2"}`, Command{}, "not a JSON command"},
		{"no op", `{"dir":"up"}`, Command{}, "op missing"},
		{"unknown op", `{"op":"cut"}`, Command{}, `unknown op "cut"`},
		{"cut now with a packet", `{"op":"cut-now","packet":"PUBACK"}`, Command{}, "cut-now takes no other field"},
		{"clear with a seed", `{"op":"clear","seed":1}`, Command{}, "clear takes no other field"},
		{"cut-at without dir", `{"op":"cut-at","packet":"PUBACK","when":"before"}`, Command{}, `dir ""`},
		{"cut-at sideways", `{"op":"cut-at","dir":"left","packet":"PUBACK","when":"before"}`, Command{}, `dir "left"`},
		{"cut-at lower case packet", `{"op":"cut-at","dir":"up","packet":"puback","when":"before"}`, Command{}, `packet "puback"`},
		{"cut-at typo", `{"op":"cut-at","dir":"up","packet":"PUBAK","when":"before"}`, Command{}, `packet "PUBAK"`},
		{"cut-at no packet", `{"op":"cut-at","dir":"up","when":"before"}`, Command{}, `packet ""`},
		{"SUBACK never goes up", `{"op":"cut-at","dir":"up","packet":"SUBACK","when":"before"}`, Command{}, "SUBACK only goes broker→tab"},
		{"CONNECT never goes down", `{"op":"cut-at","dir":"down","packet":"CONNECT","when":"after"}`, Command{}, "CONNECT only goes tab→broker"},
		{"cut-at without when", `{"op":"cut-at","dir":"up","packet":"PUBLISH"}`, Command{}, `when ""`},
		{"cut-at during", `{"op":"cut-at","dir":"up","packet":"PUBLISH","when":"during"}`, Command{}, `when "during"`},
		{"cut-at negative skip", `{"op":"cut-at","dir":"up","packet":"PUBLISH","when":"before","skip":-1}`, Command{}, "skip -1"},
		{"cut-at huge skip", `{"op":"cut-at","dir":"up","packet":"PUBLISH","when":"before","skip":1000001}`, Command{}, "skip 1000001"},
		{"cut-at with max", `{"op":"cut-at","dir":"up","packet":"PUBLISH","when":"before","max":3}`, Command{}, "for random"},
		{"random with a packet", `{"op":"random","packet":"PUBLISH","max":3}`, Command{}, "for cut-at"},
		{"random negative min", `{"op":"random","min":-1,"max":3}`, Command{}, "min -1"},
		{"random max below min", `{"op":"random","min":5,"max":4}`, Command{}, "max 4 is less than min 5"},
		{"random huge max", `{"op":"random","max":2000000}`, Command{}, "more than 1000000"},
		{"too long", `{"op":"clear"` + strings.Repeat(" ", MaxCommandSize) + `}`, Command{}, "the limit is 1024"},
	}
	for _, tc := range tests {
		t.Run(tc.scenario, func(t *testing.T) {
			got, err := Parse([]byte(tc.msg))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("Parse(%q) = %+v, %v; want an error mentioning %q", tc.msg, got, err, tc.wantErr)
				}
				if !errors.Is(err, ErrBadCommand) {
					t.Errorf("error %v is not ErrBadCommand", err)
				}
				if !strings.HasPrefix(err.Error(), "fault: bad command: ") {
					t.Errorf("error %q: want the prefix %q", err, "fault: bad command: ")
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse(%q): %v", tc.msg, err)
			}
			if got != tc.want {
				t.Errorf("Parse(%q) = %+v, want %+v", tc.msg, got, tc.want)
			}
		})
	}
}

func TestMarshalRoundTrip(t *testing.T) {
	cmds := []Command{
		{Op: OpCutNow},
		{Op: OpClear},
		{Op: OpCutAt, Dir: Down, Packet: "PUBACK", When: Before},
		{Op: OpCutAt, Dir: Up, Packet: "PUBREC", When: After, Skip: 4},
		{Op: OpCutAt, Dir: Up, Packet: "DISCONNECT", When: Before},
		{Op: OpRandom, Min: 10, Max: 20, Seed: 99},
	}
	for _, c := range cmds {
		msg, err := c.Marshal()
		if err != nil {
			t.Fatalf("Marshal(%+v): %v", c, err)
		}
		if len(msg) > MaxCommandSize {
			t.Errorf("Marshal(%+v): %d bytes, over the limit", c, len(msg))
		}
		got, err := Parse(msg)
		if err != nil {
			t.Fatalf("Parse(Marshal(%+v) = %s): %v", c, msg, err)
		}
		if got != c {
			t.Errorf("round trip of %+v via %s gave %+v", c, msg, got)
		}
	}
	if msg, err := (Command{Op: OpCutNow}).Marshal(); err != nil || string(msg) != `{"op":"cut-now"}` {
		t.Errorf("Marshal(cut-now) = %s, %v; want {\"op\":\"cut-now\"}", msg, err)
	}
	if _, err := (Command{Op: OpCutAt, Dir: Up, Packet: "SUBACK", When: Before}).Marshal(); !errors.Is(err, ErrBadCommand) {
		t.Errorf("Marshal of an invalid command: got %v, want ErrBadCommand", err)
	}
}

func TestDirections(t *testing.T) {
	// Every packet type goes at least one way, and every one the tab
	// can be cut at validates in its own direction.
	for typ := mqttframe.CONNECT; typ <= mqttframe.DISCONNECT; typ++ {
		dirs := directions[typ]
		if len(dirs) == 0 {
			t.Errorf("%s: no direction", mqttframe.TypeName(typ))
		}
		for _, d := range dirs {
			c := Command{Op: OpCutAt, Dir: d, Packet: mqttframe.TypeName(typ), When: Before}
			if err := c.Validate(); err != nil {
				t.Errorf("%+v: %v", c, err)
			}
			if got := c.PacketType(); got != typ {
				t.Errorf("%+v: PacketType %d, want %d", c, got, typ)
			}
		}
	}
	if got := (Command{Op: OpRandom}).PacketType(); got != 0 {
		t.Errorf("PacketType of a random command: got %d, want 0", got)
	}
}

func TestDraw(t *testing.T) {
	c := Command{Op: OpRandom, Min: 5, Max: 9, Seed: 42}
	seen := map[int]int{}
	first := c.Draw()
	for seed := range int64(2000) {
		c.Seed = seed
		n := c.Draw()
		if n < 5 || n > 9 {
			t.Fatalf("Draw with seed %d: %d, outside [5,9]", seed, n)
		}
		seen[n]++
	}
	for n := 5; n <= 9; n++ {
		// 2000 draws over 5 values: about 400 each; 250 is far out.
		if seen[n] < 250 {
			t.Errorf("Draw: %d came %d times in 2000 seeds, want about 400 (%v)", n, seen[n], seen)
		}
	}
	c.Seed = 42
	if again := c.Draw(); again != first {
		t.Errorf("Draw with the same seed: %d then %d", first, again)
	}
	if n := (Command{Op: OpRandom, Min: 7, Max: 7}).Draw(); n != 7 {
		t.Errorf("Draw in [7,7]: %d", n)
	}
	if n := (Command{Op: OpCutNow}).Draw(); n != 0 {
		t.Errorf("Draw of cut-now: %d, want 0", n)
	}
}

func TestString(t *testing.T) {
	tests := []struct {
		c    Command
		want string
	}{
		{Command{Op: OpCutNow}, "cut now"},
		{Command{Op: OpClear}, "clear the armed fault"},
		{Command{Op: OpCutAt, Dir: Down, Packet: "PUBACK", When: Before}, "cut before PUBACK (broker→tab)"},
		{Command{Op: OpCutAt, Dir: Up, Packet: "PUBREC", When: After, Skip: 2}, "cut after PUBREC number 3 (tab→broker)"},
		{Command{Op: OpRandom, Min: 4, Max: 4, Seed: 1}, "random cut after 4 packets (drawn from 4 to 4, seed 1)"},
	}
	for _, tc := range tests {
		if got := tc.c.String(); got != tc.want {
			t.Errorf("%+v: got %q, want %q", tc.c, got, tc.want)
		}
	}
	// The longest description must fit a WebSocket close reason.
	long := Command{Op: OpRandom, Min: MaxCount, Max: MaxCount, Seed: -1 << 63}
	if s := long.String(); len(s) > 123 || !utf8.ValidString(s) {
		t.Errorf("%q: %d bytes, a close reason holds 123", s, len(s))
	}
	long = Command{Op: OpCutAt, Dir: Up, Packet: "UNSUBSCRIBE", When: Before, Skip: MaxCount}
	if s := long.String(); len(s) > 123 {
		t.Errorf("%q: %d bytes, a close reason holds 123", s, len(s))
	}
}

func TestParseNet(t *testing.T) {
	got, err := Parse([]byte(`{"op":"net","net":{"latency_ms":300,"jitter_ms":20,"up_kbps":512,"down_kbps":2000}}`))
	if err != nil {
		t.Fatal(err)
	}
	want := netcond.Conditions{LatencyMS: 300, JitterMS: 20, UpKbps: 512, DownKbps: 2000}
	if got.Op != OpNet || got.Net == nil || *got.Net != want {
		t.Fatalf("got %+v, want net %+v", got, want)
	}
	if s := got.String(); s != "net: latency 300 ms ± 20 ms, up 512 kbit/s, down 2000 kbit/s" {
		t.Errorf("String() = %q", s)
	}
	if _, err := Parse([]byte(`{"op":"net","net":{}}`)); err != nil {
		t.Errorf("a perfect link: %v", err)
	}
	for msg, wantErr := range map[string]string{
		`{"op":"net"}`:                                                           "net needs its conditions",
		`{"op":"net","net":{"latency_ms":2001}}`:                                 "latency 2001 ms: want 0 to 2000 ms",
		`{"op":"net","net":{"jitter_ms":600}}`:                                   "jitter 600 ms",
		`{"op":"net","net":{"down_kbps":20}}`:                                    "down bandwidth 20 kbit/s",
		`{"op":"net","net":{"latency_ms":1,"delay":3}}`:                          `unknown field "delay"`,
		`{"op":"net","dir":"up","net":{"latency_ms":1}}`:                         "net takes no other field",
		`{"op":"cut-now","net":{"latency_ms":1}}`:                                "cut-now takes no other field",
		`{"op":"random","max":3,"net":{"latency_ms":1}}`:                         "not random",
		`{"op":"cut-at","dir":"up","packet":"PUBLISH","when":"before","net":{}}`: "not cut-at",
	} {
		_, err := Parse([]byte(msg))
		if err == nil || !strings.Contains(err.Error(), wantErr) || !errors.Is(err, ErrBadCommand) {
			t.Errorf("Parse(%s) error %v, want ErrBadCommand mentioning %q", msg, err, wantErr)
		}
	}
}

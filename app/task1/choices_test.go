package task1

import "testing"

// TestChoicesPerScenario: the smart home's choices are its own (issue 13,
// item 1): setting them leaves the factory's alone, both survive switching,
// and a run of a scenario gets that scenario's.
func TestChoicesPerScenario(t *testing.T) {
	c := NewChoices(1)
	for stream, qos := range map[string]byte{"light": 0, "security": 2, "doorlock": 2} {
		if err := c.Set("smarthome", stream, qos); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Set("factory", "cooling", 2); err != nil {
		t.Fatal(err)
	}
	want := map[string]map[string]byte{
		"factory":   {"temperature": 1, "anomaly": 1, "cooling": 2},
		"smarthome": {"light": 0, "security": 2, "doorlock": 2},
	}
	for sc, streams := range want {
		got := c.Of(sc)
		if len(got) != len(streams) {
			t.Errorf("%s: %v, want %v", sc, got, streams)
		}
		for id, q := range streams {
			if got[id] != q || c.Get(sc, id) != q {
				t.Errorf("%s/%s: QoS %d (Get %d), want %d", sc, id, got[id], c.Get(sc, id), q)
			}
		}
	}
	// A copy: changing it changes nothing.
	c.Of("smarthome")["light"] = 2
	if c.Get("smarthome", "light") != 0 {
		t.Error("Of returned the choices themselves")
	}
}

// TestChoicesRefuse: a stream of the other system, an unknown scenario and
// a QoS above 2 are refused and change nothing: the mistake of the page's
// old handlers, a smart-home control writing into the factory, cannot
// happen silently.
func TestChoicesRefuse(t *testing.T) {
	c := NewChoices(1)
	for _, tc := range []struct {
		scenario, stream string
		qos              byte
	}{
		{"factory", "light", 0},
		{"smarthome", "temperature", 0},
		{"spaceship", "light", 0},
		{"smarthome", "light", 3},
	} {
		if err := c.Set(tc.scenario, tc.stream, tc.qos); err == nil {
			t.Errorf("Set(%s, %s, %d) accepted", tc.scenario, tc.stream, tc.qos)
		}
	}
	all := c.All()
	if len(all) != 6 {
		t.Fatalf("%d choices, want 6", len(all))
	}
	for id, q := range all {
		if q != 1 {
			t.Errorf("%s changed to %d by a refused Set", id, q)
		}
	}
}

func TestChoicesSetAll(t *testing.T) {
	c := NewChoices(1)
	c.SetAll(map[string]byte{"light": 0, "cooling": 2, "nonsense": 0, "anomaly": 7})
	if c.Get("smarthome", "light") != 0 || c.Get("factory", "cooling") != 2 || c.Get("factory", "anomaly") != 1 {
		t.Errorf("after SetAll: %v", c.All())
	}
}

// TestMatches: the reveal judges the QoS a stream ran at.
func TestMatches(t *testing.T) {
	home, _ := FindIoTScenario("smarthome")
	var res []StreamResult
	for i, q := range []byte{0, 2, 2} {
		res = append(res, StreamResult{Stream: home.Streams[i], QoS: q})
	}
	got := Matches(res)
	want := map[string]bool{"light": true, "security": false, "doorlock": true}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("%s: match %v, want %v", id, got[id], w)
		}
	}
}

func TestPacketsPerLeg(t *testing.T) {
	for qos, want := range []int{1, 2, 4} {
		if got := PacketsPerLeg(byte(qos)); got != want {
			t.Errorf("QoS %d: %d packets per leg, want %d", qos, got, want)
		}
		if PacketsPerMessage(byte(qos)) != 2*want {
			t.Errorf("QoS %d: %d packets per message, want both legs", qos, PacketsPerMessage(byte(qos)))
		}
	}
}
